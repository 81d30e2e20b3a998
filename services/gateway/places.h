// The map of a crisis for the dashboard (DashboardPlaces): pure composition from what the three
// services return, plus the geometry. Personal data stops here: a responder contributes an id, a
// display name, an organisation and where their home base lies relative to the crisis (distance
// and bearing), never the home base, contacts or documents.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "relais/v1/crisis_registry.pb.h"
#include "relais/v1/gateway.pb.h"
#include "relais/v1/inventory.pb.h"
#include "relais/v1/mobilisation.pb.h"
#include "relais/v1/stock.pb.h"
#include "relais/v1/teams.pb.h"

namespace relais::gateway {

// Great-circle (haversine) distance on a sphere of the Earth's mean radius, in km.
double DistanceKm(double lat1, double lon1, double lat2, double lon2);
// Initial bearing from point 1 to point 2, degrees clockwise from north in [0, 360).
double BearingDeg(double lat1, double lon1, double lat2, double lon2);

// Who and what the crisis's requests and assignments name: what the gateway must look up.
struct PlacesWanted {
  std::set<std::string> responder_ids;
  std::set<std::string> team_ids;
  std::set<std::string> stock_line_ids;
  std::set<std::string> organisation_ids;
};
PlacesWanted WantedFor(const std::vector<v1::MobilisationRequest>& requests,
                       const std::vector<v1::Assignment>& assignments);

// What was read from the services. Lookups that failed (a responder removed since) are simply
// absent; extra records (other organisations' warehouses, unrelated stock lines) are ignored.
struct PlacesInput {
  v1::Crisis crisis;
  PlacesWanted wanted;
  std::vector<v1::Responder> responders;
  std::vector<v1::Organisation> organisations;
  std::vector<v1::Warehouse> warehouses;
  std::vector<v1::Team> teams;
  std::vector<v1::StockLine> stock_lines;
};

v1::DashboardPlaces ComposePlaces(const PlacesInput& input);

}  // namespace relais::gateway
