// Every word the dashboard shows, in French and English. Enum values arrive as protobuf names
// ("COVERAGE_OPEN", "EVENT_TYPE_REQUEST_ACCEPTED"); they are looked up here, never shown raw
// unless a newer server sends a value this page does not know yet.
'use strict';

window.RelaisI18n = (function () {
  const fr = {
    'app.title': 'Relais - salle de crise',
    'app.subtitle': 'Coordination des urgences sanitaires, Lyon',
    'conn.live': 'En direct',
    'conn.reconnecting': 'Reconnexion…',
    'conn.connecting': 'Connexion…',
    'lang.switch': 'English',
    'app.signout': 'Se déconnecter',
    'lang.switch.label': 'Switch to English',
    'crises.heading': 'Crises',
    'crises.empty': 'Aucune crise déclarée.',
    'crises.error': 'Liste des crises indisponible',
    'crisis.none': 'Choisissez une crise dans la liste.',
    'crisis.notFound': 'Crise introuvable.',
    'crisis.area': 'Zone',
    'crisis.radius': 'rayon {km} km',
    'crisis.declared': 'Déclarée le {date}',
    'crisis.asOf': 'Mis à jour à {time}',
    'needs.heading': 'Besoins',
    'needs.empty': 'Aucun besoin.',
    'need.required': 'Requis',
    'need.requested': 'Sollicités',
    'need.accepted': 'Acceptés',
    'need.deployed': 'Déployés',
    'need.declined': '{n} refus',
    'need.expired': '{n} sans réponse',
    'need.rounds': '{n} vague(s)',
    'pending.heading': 'Demandes en attente',
    'pending.empty': 'Aucune demande en attente.',
    'pending.left': 'reste {t}',
    'pending.overdue': 'échue',
    'outreach.heading': 'Joignabilité',
    'outreach.unreached': 'Non joints',
    'outreach.unanswered': 'Sans réponse',
    'outreach.none': 'Personne.',
    'outreach.failed': '{n} notification(s) en échec',
    'trail.heading': 'Fil des événements',
    'trail.empty': 'Aucun événement pour le moment.',
    'chain.heading': 'Affectations',
    'chain.empty': 'Aucune affectation.',
    'plot.heading': 'Carte des moyens',
    'plot.caption':
        'Centre de la crise et son rayon ; entrepôts (carrés) et intervenants sollicités ' +
        '(points) à leur distance et dans leur direction. Échelle logarithmique des distances.',
    'plot.centre': 'Centre',
    'plot.legend.asked': 'Sollicité',
    'plot.legend.accepted': 'Accepté',
    'plot.legend.other': 'Refus, annulé…',
    'plot.legend.warehouse': 'Entrepôt',
    'plot.legend.area': 'Zone de crise',
    'unknown.person': 'Intervenant {id}',
    'unknown.team': 'Équipe {id}',
    'unknown.stock': 'Lot {id}',
    'time.min': '{m} min {s} s',
    'time.hour': '{h} h {m} min',
    'error.load': 'Chargement impossible : {msg}',

    // Event sentences: {who} = person, team or stock line; {res} = the need's resource.
    'ev.EVENT_TYPE_CRISIS_DECLARED': 'Crise déclarée',
    'ev.EVENT_TYPE_CRISIS_UPDATED': 'Crise mise à jour',
    'ev.EVENT_TYPE_CRISIS_ACTIVATED': 'Crise activée',
    'ev.EVENT_TYPE_CRISIS_PAUSED': 'Crise suspendue',
    'ev.EVENT_TYPE_CRISIS_CLOSED': 'Crise clôturée',
    'ev.EVENT_TYPE_NEED_ADDED': 'Besoin ajouté ({res})',
    'ev.EVENT_TYPE_NEED_UPDATED': 'Besoin modifié ({res})',
    'ev.EVENT_TYPE_NEED_CANCELLED': 'Besoin annulé ({res})',
    'ev.EVENT_TYPE_REQUESTS_SENT': '{n} demande(s) envoyée(s) ({res})',
    'ev.EVENT_TYPE_REQUEST_ACKNOWLEDGED': '{who} a vu la demande ({res})',
    'ev.EVENT_TYPE_REQUEST_ACCEPTED': '{who} a accepté ({res})',
    'ev.EVENT_TYPE_REQUEST_PROVISIONAL': '{who} a répondu « oui, si… » ({res})',
    'ev.EVENT_TYPE_REQUEST_DECLINED': '{who} a refusé ({res})',
    'ev.EVENT_TYPE_REQUEST_EXPIRED': '{who} n’a pas répondu à temps ({res})',
    'ev.EVENT_TYPE_REQUEST_CANCELLED': 'Demande à {who} annulée ({res})',
    'ev.EVENT_TYPE_ROUND_PLANNED': 'Vague de mobilisation : {n} à solliciter ({res})',
    'ev.EVENT_TYPE_ASSIGNMENT_WITHDRAWN': '{who} s’est retiré·e ({res})',
    'ev.EVENT_TYPE_ASSIGNMENT_EN_ROUTE': '{who} est en route ({res})',
    'ev.EVENT_TYPE_ASSIGNMENT_ON_SITE': '{who} est sur place ({res})',
    'ev.EVENT_TYPE_ASSIGNMENT_RELEASED': '{who} est libéré·e ({res})',
    'ev.EVENT_TYPE_ASSIGNMENT_EXTENDED': 'Mission de {who} prolongée ({res})',
    'ev.EVENT_TYPE_ASSIGNMENT_EXTENSION_REFUSED': 'Prolongation refusée pour {who} ({res})',
    'ev.EVENT_TYPE_SUPPLY_SHIPPED': '{who} expédié ({res})',
    'ev.EVENT_TYPE_SUPPLY_DELIVERED': '{who} livré ({res})',
    'ev.EVENT_TYPE_SUPPLY_RETURNED': '{who} retourné à l’entrepôt ({res})',
    'ev.EVENT_TYPE_NEED_COVERED': 'Besoin couvert ({res})',
    'ev.EVENT_TYPE_NEED_UNCOVERABLE': 'Besoin impossible à couvrir ({res})',
    'ev.EVENT_TYPE_NOTIFICATION_FAILED': 'Notification à {who} en échec',
    'ev.other': 'Événement : {type}',

    'enum.CRISIS_STATUS_DECLARED': 'Déclarée',
    'enum.CRISIS_STATUS_ACTIVE': 'Active',
    'enum.CRISIS_STATUS_PAUSED': 'Suspendue',
    'enum.CRISIS_STATUS_CLOSED': 'Clôturée',
    'enum.SEVERITY_EXTREME': 'Extrême',
    'enum.SEVERITY_SEVERE': 'Grave',
    'enum.SEVERITY_MODERATE': 'Modérée',
    'enum.SEVERITY_MINOR': 'Mineure',
    'enum.SEVERITY_UNKNOWN': 'Inconnue',
    'enum.CRISIS_SCOPE_LOCAL': 'Métropole de Lyon',
    'enum.CRISIS_SCOPE_ABROAD': 'À l’étranger',
    'enum.SCOPE_LOCAL': 'Métropole de Lyon',
    'enum.SCOPE_ABROAD': 'À l’étranger',
    'enum.CRISIS_KIND_EPIDEMIC': 'Épidémie',
    'enum.CRISIS_KIND_HEATWAVE': 'Canicule',
    'enum.CRISIS_KIND_EARTHQUAKE': 'Séisme',
    'enum.CRISIS_KIND_FLOOD': 'Inondation',
    'enum.CRISIS_KIND_STORM': 'Tempête',
    'enum.CRISIS_KIND_DISPLACEMENT': 'Déplacement de population',
    'enum.CRISIS_KIND_INDUSTRIAL_ACCIDENT': 'Accident industriel',
    'enum.CRISIS_KIND_OTHER': 'Autre',
    'enum.COVERAGE_OPEN': 'Ouvert',
    'enum.COVERAGE_COVERED': 'Couvert',
    'enum.COVERAGE_UNCOVERABLE': 'Impossible à couvrir',
    'enum.COVERAGE_CANCELLED': 'Annulé',
    'enum.REQUEST_STATE_REQUESTED': 'Sollicité',
    'enum.REQUEST_STATE_PROVISIONAL': 'Oui, si…',
    'enum.ASSIGNMENT_STATE_ACCEPTED': 'Accepté',
    'enum.ASSIGNMENT_STATE_WITHDRAWN': 'Retiré',
    'enum.ASSIGNMENT_STATE_EN_ROUTE': 'En route',
    'enum.ASSIGNMENT_STATE_ON_SITE': 'Sur place',
    'enum.ASSIGNMENT_STATE_RELEASED': 'Libéré',
    'enum.ASSIGNMENT_STATE_COMMITTED': 'Engagé',
    'enum.ASSIGNMENT_STATE_SHIPPED': 'Expédié',
    'enum.ASSIGNMENT_STATE_DELIVERED': 'Livré',
    'enum.ASSIGNMENT_STATE_RETURNED': 'Retourné',
    'chain.requested': 'Sollicité',
    'enum.NEED_PRIORITY_LOW': 'Basse',
    'enum.NEED_PRIORITY_MEDIUM': 'Moyenne',
    'enum.NEED_PRIORITY_HIGH': 'Haute',
    'enum.NEED_PRIORITY_CRITICAL': 'Critique',
  };

  const en = {
    'app.title': 'Relais - crisis room',
    'app.subtitle': 'Health-emergency coordination, Lyon',
    'conn.live': 'Live',
    'conn.reconnecting': 'Reconnecting…',
    'conn.connecting': 'Connecting…',
    'lang.switch': 'Français',
    'app.signout': 'Sign out',
    'lang.switch.label': 'Passer en français',
    'crises.heading': 'Crises',
    'crises.empty': 'No crisis declared.',
    'crises.error': 'Crisis list unavailable',
    'crisis.none': 'Pick a crisis from the list.',
    'crisis.notFound': 'No such crisis.',
    'crisis.area': 'Area',
    'crisis.radius': '{km} km radius',
    'crisis.declared': 'Declared {date}',
    'crisis.asOf': 'Updated at {time}',
    'needs.heading': 'Needs',
    'needs.empty': 'No needs.',
    'need.required': 'Required',
    'need.requested': 'Requested',
    'need.accepted': 'Accepted',
    'need.deployed': 'Deployed',
    'need.declined': '{n} declined',
    'need.expired': '{n} expired',
    'need.rounds': '{n} round(s)',
    'pending.heading': 'Pending requests',
    'pending.empty': 'No pending request.',
    'pending.left': '{t} left',
    'pending.overdue': 'overdue',
    'outreach.heading': 'Outreach',
    'outreach.unreached': 'Not reached',
    'outreach.unanswered': 'Not answered',
    'outreach.none': 'Nobody.',
    'outreach.failed': '{n} failed notification(s)',
    'trail.heading': 'Event trail',
    'trail.empty': 'No events yet.',
    'chain.heading': 'Assignments',
    'chain.empty': 'No assignments.',
    'plot.heading': 'Resources around the crisis',
    'plot.caption':
        'Crisis centre and radius; warehouses (squares) and responders asked (dots) at their ' +
        'distance and bearing from the centre. Distances on a logarithmic scale.',
    'plot.centre': 'Centre',
    'plot.legend.asked': 'Asked',
    'plot.legend.accepted': 'Accepted',
    'plot.legend.other': 'Declined, cancelled…',
    'plot.legend.warehouse': 'Warehouse',
    'plot.legend.area': 'Crisis area',
    'unknown.person': 'Responder {id}',
    'unknown.team': 'Team {id}',
    'unknown.stock': 'Stock line {id}',
    'time.min': '{m} min {s} s',
    'time.hour': '{h} h {m} min',
    'error.load': 'Could not load: {msg}',

    'ev.EVENT_TYPE_CRISIS_DECLARED': 'Crisis declared',
    'ev.EVENT_TYPE_CRISIS_UPDATED': 'Crisis updated',
    'ev.EVENT_TYPE_CRISIS_ACTIVATED': 'Crisis activated',
    'ev.EVENT_TYPE_CRISIS_PAUSED': 'Crisis paused',
    'ev.EVENT_TYPE_CRISIS_CLOSED': 'Crisis closed',
    'ev.EVENT_TYPE_NEED_ADDED': 'Need added ({res})',
    'ev.EVENT_TYPE_NEED_UPDATED': 'Need changed ({res})',
    'ev.EVENT_TYPE_NEED_CANCELLED': 'Need cancelled ({res})',
    'ev.EVENT_TYPE_REQUESTS_SENT': '{n} request(s) sent ({res})',
    'ev.EVENT_TYPE_REQUEST_ACKNOWLEDGED': '{who} saw the request ({res})',
    'ev.EVENT_TYPE_REQUEST_ACCEPTED': '{who} accepted ({res})',
    'ev.EVENT_TYPE_REQUEST_PROVISIONAL': '{who} answered "yes, if…" ({res})',
    'ev.EVENT_TYPE_REQUEST_DECLINED': '{who} declined ({res})',
    'ev.EVENT_TYPE_REQUEST_EXPIRED': '{who} did not answer in time ({res})',
    'ev.EVENT_TYPE_REQUEST_CANCELLED': 'Request to {who} cancelled ({res})',
    'ev.EVENT_TYPE_ROUND_PLANNED': 'Mobilisation round: {n} to ask ({res})',
    'ev.EVENT_TYPE_ASSIGNMENT_WITHDRAWN': '{who} withdrew ({res})',
    'ev.EVENT_TYPE_ASSIGNMENT_EN_ROUTE': '{who} is en route ({res})',
    'ev.EVENT_TYPE_ASSIGNMENT_ON_SITE': '{who} is on site ({res})',
    'ev.EVENT_TYPE_ASSIGNMENT_RELEASED': '{who} was released ({res})',
    'ev.EVENT_TYPE_ASSIGNMENT_EXTENDED': '{who}: mission extended ({res})',
    'ev.EVENT_TYPE_ASSIGNMENT_EXTENSION_REFUSED': '{who}: extension refused ({res})',
    'ev.EVENT_TYPE_SUPPLY_SHIPPED': '{who} shipped ({res})',
    'ev.EVENT_TYPE_SUPPLY_DELIVERED': '{who} delivered ({res})',
    'ev.EVENT_TYPE_SUPPLY_RETURNED': '{who} returned to the warehouse ({res})',
    'ev.EVENT_TYPE_NEED_COVERED': 'Need covered ({res})',
    'ev.EVENT_TYPE_NEED_UNCOVERABLE': 'Need cannot be covered ({res})',
    'ev.EVENT_TYPE_NOTIFICATION_FAILED': 'Notification to {who} failed',
    'ev.other': 'Event: {type}',

    'enum.CRISIS_STATUS_DECLARED': 'Declared',
    'enum.CRISIS_STATUS_ACTIVE': 'Active',
    'enum.CRISIS_STATUS_PAUSED': 'Paused',
    'enum.CRISIS_STATUS_CLOSED': 'Closed',
    'enum.SEVERITY_EXTREME': 'Extreme',
    'enum.SEVERITY_SEVERE': 'Severe',
    'enum.SEVERITY_MODERATE': 'Moderate',
    'enum.SEVERITY_MINOR': 'Minor',
    'enum.SEVERITY_UNKNOWN': 'Unknown',
    'enum.CRISIS_SCOPE_LOCAL': 'Lyon metropolitan area',
    'enum.CRISIS_SCOPE_ABROAD': 'Abroad',
    'enum.SCOPE_LOCAL': 'Lyon metropolitan area',
    'enum.SCOPE_ABROAD': 'Abroad',
    'enum.CRISIS_KIND_EPIDEMIC': 'Epidemic',
    'enum.CRISIS_KIND_HEATWAVE': 'Heatwave',
    'enum.CRISIS_KIND_EARTHQUAKE': 'Earthquake',
    'enum.CRISIS_KIND_FLOOD': 'Flood',
    'enum.CRISIS_KIND_STORM': 'Storm',
    'enum.CRISIS_KIND_DISPLACEMENT': 'Displacement',
    'enum.CRISIS_KIND_INDUSTRIAL_ACCIDENT': 'Industrial accident',
    'enum.CRISIS_KIND_OTHER': 'Other',
    'enum.COVERAGE_OPEN': 'Open',
    'enum.COVERAGE_COVERED': 'Covered',
    'enum.COVERAGE_UNCOVERABLE': 'Uncoverable',
    'enum.COVERAGE_CANCELLED': 'Cancelled',
    'enum.REQUEST_STATE_REQUESTED': 'Asked',
    'enum.REQUEST_STATE_PROVISIONAL': 'Yes, if…',
    'enum.ASSIGNMENT_STATE_ACCEPTED': 'Accepted',
    'enum.ASSIGNMENT_STATE_WITHDRAWN': 'Withdrawn',
    'enum.ASSIGNMENT_STATE_EN_ROUTE': 'En route',
    'enum.ASSIGNMENT_STATE_ON_SITE': 'On site',
    'enum.ASSIGNMENT_STATE_RELEASED': 'Released',
    'enum.ASSIGNMENT_STATE_COMMITTED': 'Committed',
    'enum.ASSIGNMENT_STATE_SHIPPED': 'Shipped',
    'enum.ASSIGNMENT_STATE_DELIVERED': 'Delivered',
    'enum.ASSIGNMENT_STATE_RETURNED': 'Returned',
    'chain.requested': 'Requested',
    'enum.NEED_PRIORITY_LOW': 'Low',
    'enum.NEED_PRIORITY_MEDIUM': 'Medium',
    'enum.NEED_PRIORITY_HIGH': 'High',
    'enum.NEED_PRIORITY_CRITICAL': 'Critical',
  };

  const dictionaries = {fr, en};
  const STORAGE_KEY = 'relais.lang';

  // Remembered choice first, then the browser's languages (fr* -> French), else English.
  function initialLanguage() {
    try {
      const saved = window.localStorage.getItem(STORAGE_KEY);
      if (saved === 'fr' || saved === 'en') return saved;
    } catch (e) {
      // Storage refused (private mode): fall through to the browser's preference.
    }
    const langs = navigator.languages && navigator.languages.length ? navigator.languages
                                                                     : [navigator.language || 'en'];
    return String(langs[0] || 'en').toLowerCase().startsWith('fr') ? 'fr' : 'en';
  }

  let lang = initialLanguage();

  function fill(text, params) {
    return text.replace(/\{(\w+)\}/g, (m, k) => (params && k in params ? String(params[k]) : m));
  }

  return {
    get lang() {
      return lang;
    },
    locale() {
      return lang === 'fr' ? 'fr-FR' : 'en-GB';
    },
    setLang(next) {
      lang = next === 'fr' ? 'fr' : 'en';
      try {
        window.localStorage.setItem(STORAGE_KEY, lang);
      } catch (e) {
        // Not remembered, still applied.
      }
    },
    has(key) {
      return key in dictionaries[lang];
    },
    t(key, params) {
      const text = dictionaries[lang][key] ?? dictionaries.en[key] ?? key;
      return fill(text, params);
    },
    // An enum value as a word; an unknown value is shown tidied rather than hidden.
    word(value) {
      if (!value) return '';
      const key = 'enum.' + value;
      if (key in dictionaries[lang]) return dictionaries[lang][key];
      const parts = String(value).split('_');
      return parts.slice(-1)[0].charAt(0) + parts.slice(-1)[0].slice(1).toLowerCase();
    },
  };
})();
