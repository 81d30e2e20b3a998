#include "services/gateway/places.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace relais::gateway {
namespace {

constexpr double kEarthRadiusKm = 6371.0088;  // mean radius (IUGG)

double Radians(double degrees) { return degrees * std::numbers::pi / 180.0; }

template <class T>
bool Contains(const std::set<T>& set, const T& value) {
  return set.find(value) != set.end();
}

}  // namespace

double DistanceKm(double lat1, double lon1, double lat2, double lon2) {
  const double dlat = Radians(lat2 - lat1);
  const double dlon = Radians(lon2 - lon1);
  const double a =
      std::sin(dlat / 2) * std::sin(dlat / 2) +
      std::cos(Radians(lat1)) * std::cos(Radians(lat2)) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusKm * std::atan2(std::sqrt(a), std::sqrt(1 - a));
}

double BearingDeg(double lat1, double lon1, double lat2, double lon2) {
  const double phi1 = Radians(lat1);
  const double phi2 = Radians(lat2);
  const double dlon = Radians(lon2 - lon1);
  const double y = std::sin(dlon) * std::cos(phi2);
  const double x =
      std::cos(phi1) * std::sin(phi2) - std::sin(phi1) * std::cos(phi2) * std::cos(dlon);
  double degrees = std::atan2(y, x) * 180.0 / std::numbers::pi;
  degrees = std::fmod(degrees + 360.0, 360.0);
  return degrees >= 360.0 ? 0.0 : degrees;
}

PlacesWanted WantedFor(const std::vector<v1::MobilisationRequest>& requests,
                       const std::vector<v1::Assignment>& assignments) {
  PlacesWanted wanted;
  auto add = [&](const std::string& responder, const std::string& team, const std::string& line,
                 const std::string& organisation) {
    if (!responder.empty()) wanted.responder_ids.insert(responder);
    if (!team.empty()) wanted.team_ids.insert(team);
    if (!line.empty()) wanted.stock_line_ids.insert(line);
    if (!organisation.empty()) wanted.organisation_ids.insert(organisation);
  };
  for (const auto& r : requests) {
    add(r.responder_id(), r.team_id(), r.stock_line_id(), r.organisation_id());
  }
  for (const auto& a : assignments) {
    add(a.responder_id(), a.team_id(), a.stock_line_id(), a.organisation_id());
  }
  return wanted;
}

v1::DashboardPlaces ComposePlaces(const PlacesInput& input) {
  const v1::Crisis& crisis = input.crisis;
  const double lat = crisis.area().center().lat();
  const double lon = crisis.area().center().lon();
  v1::DashboardPlaces places;
  places.set_crisis_id(crisis.id());
  places.set_scope(crisis.scope() == v1::CRISIS_SCOPE_ABROAD  ? v1::SCOPE_ABROAD
                   : crisis.scope() == v1::CRISIS_SCOPE_LOCAL ? v1::SCOPE_LOCAL
                                                              : v1::SCOPE_UNSPECIFIED);
  places.mutable_center()->set_latitude(lat);
  places.mutable_center()->set_longitude(lon);
  places.set_radius_km(crisis.area().radius_km());

  std::set<std::string> seen;
  for (const auto& o : input.organisations) {
    if (!Contains(input.wanted.organisation_ids, o.id()) || !seen.insert(o.id()).second) continue;
    auto* out = places.add_organisations();
    out->set_id(o.id());
    out->set_name(o.name());
    out->set_commune(o.commune());
  }

  seen.clear();
  std::vector<v1::PlaceWarehouse> warehouses;
  for (const auto& w : input.warehouses) {
    if (!Contains(input.wanted.organisation_ids, w.organisation_id()) ||
        !seen.insert(w.id()).second) {
      continue;
    }
    v1::PlaceWarehouse out;
    out.set_id(w.id());
    out.set_name(w.name());
    out.set_organisation_id(w.organisation_id());
    out.mutable_location()->set_latitude(w.location().lat());
    out.mutable_location()->set_longitude(w.location().lon());
    out.set_distance_km(DistanceKm(lat, lon, w.location().lat(), w.location().lon()));
    warehouses.push_back(std::move(out));
  }
  std::stable_sort(warehouses.begin(), warehouses.end(),
                   [](const auto& a, const auto& b) { return a.distance_km() < b.distance_km(); });
  for (auto& w : warehouses) *places.add_warehouses() = std::move(w);

  seen.clear();
  std::vector<v1::PlacePerson> people;
  for (const auto& r : input.responders) {
    if (!Contains(input.wanted.responder_ids, r.id()) || !seen.insert(r.id()).second) continue;
    v1::PlacePerson out;
    out.set_responder_id(r.id());
    out.set_display_name(r.display_name());
    out.set_organisation_id(r.organisation_id());
    const double rlat = r.home_base().lat();
    const double rlon = r.home_base().lon();
    out.set_distance_km(DistanceKm(lat, lon, rlat, rlon));
    out.set_bearing_deg(BearingDeg(lat, lon, rlat, rlon));
    people.push_back(std::move(out));
  }
  std::stable_sort(people.begin(), people.end(),
                   [](const auto& a, const auto& b) { return a.distance_km() < b.distance_km(); });
  for (auto& p : people) *places.add_people() = std::move(p);

  seen.clear();
  for (const auto& t : input.teams) {
    if (!Contains(input.wanted.team_ids, t.id()) || !seen.insert(t.id()).second) continue;
    auto* out = places.add_teams();
    out->set_team_id(t.id());
    out->set_name(t.name());
    out->set_organisation_id(t.organisation_id());
  }

  seen.clear();
  for (const auto& l : input.stock_lines) {
    if (!Contains(input.wanted.stock_line_ids, l.id()) || !seen.insert(l.id()).second) continue;
    auto* out = places.add_stock_lines();
    out->set_stock_line_id(l.id());
    out->set_item_code(l.item_code());
    out->set_lot(l.lot());
    out->set_warehouse_id(l.warehouse_id());
    out->set_organisation_id(l.organisation_id());
  }
  return places;
}

}  // namespace relais::gateway
