#include "clients/relaisctl/responder_export.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <utility>

#include "clients/relaisctl/call.h"
#include "clients/relaisctl/messages.h"
#include "clients/relaisctl/output.h"
#include "relais/v1/inventory.grpc.pb.h"
#include "relais/v1/mobilisation.grpc.pb.h"

namespace relais::cli {
namespace {

namespace v1 = relais::v1;

// A section the role may not read is recorded and the export goes on; anything else stops it.
bool Withheld(const grpc::Status& status, const std::string& section, ResponderExport* out) {
  if (status.error_code() != grpc::StatusCode::PERMISSION_DENIED) return false;
  out->withheld[section] = status.error_message();
  return true;
}

nlohmann::json AsJson(const google::protobuf::Message& message) {
  return nlohmann::json::parse(ToJson(message));
}

template <typename Item>
nlohmann::json AsJson(const std::optional<std::vector<Item>>& items) {
  if (!items) return nullptr;
  nlohmann::json array = nlohmann::json::array();
  for (const Item& item : *items) array.push_back(AsJson(item));
  return array;
}

// What Relais holds about a responder that no RPC returns to them; kept next to the gathering
// so that a new RPC (or a new store) is a reminder to update both.
nlohmann::json NotIncluded() {
  return {
      "event log: the entries about the responder are in audit_trail (ids only, no personal "
      "data, kept for the services' audit retention); the rest of the log is not exported",
      "notifications: the greeting and the address are added when a message is sent and are "
      "never stored (the section holds what was stored: subject, body, state, attempts)",
      "availability periods that have ended: GetAvailability returns only the periods that "
      "have not ended",
      "holds and commitments in the inventory: named by hold_id in the requests and "
      "assignments above; not exported",
      "service logs: ids only (principal, request id), never personal data",
  };
}

}  // namespace

grpc::Status GatherResponderExport(Session& inventory, Session& mobilisation,
                                   const std::string& responder_id, ResponderExport* out) {
  out->responder_id = responder_id;
  out->generated_at = inventory.Now();
  out->principal = inventory.settings().principal;
  out->role = inventory.settings().role;

  v1::ResourceInventory::Stub directory(inventory.Channel());
  v1::GetResponderRequest get;
  get.set_responder_id(responder_id);
  grpc::Status status = inventory.Call([&](grpc::ClientContext& context) {
    return directory.GetResponder(&context, get, &out->responder);
  });
  if (!status.ok()) return status;  // whoever may not read the record may not export it

  v1::GetAvailabilityRequest availability;
  availability.set_responder_id(responder_id);
  v1::AvailabilityCalendar calendar;
  status = inventory.Call([&](grpc::ClientContext& context) {
    return directory.GetAvailability(&context, availability, &calendar);
  });
  if (status.ok()) {
    out->availability = std::move(calendar);
  } else if (!Withheld(status, "availability", out)) {
    return status;
  }

  // Teams hold their members' ids: the responder's organisation's teams that name them.
  v1::ListTeamsRequest teams;
  teams.set_organisation_id(out->responder.organisation_id());
  std::vector<v1::Team> all_teams;
  status = ListEveryPage(inventory, directory, teams, &v1::ResourceInventory::Stub::ListTeams,
                         &v1::ListTeamsResponse::teams, &all_teams);
  if (status.ok()) {
    out->teams.emplace();
    for (v1::Team& team : all_teams) {
      const auto& members = team.member_ids();
      if (std::find(members.begin(), members.end(), responder_id) != members.end()) {
        out->teams->push_back(std::move(team));
      }
    }
  } else if (!Withheld(status, "teams", out)) {
    return status;
  }

  // The audit trail of their record: what changed, when, by whom (ids only), every page.
  v1::ListAuditRecordsRequest audit;
  audit.set_responder_id(responder_id);
  std::vector<v1::Event> records;
  status =
      ListEveryPage(inventory, directory, audit, &v1::ResourceInventory::Stub::ListAuditRecords,
                    &v1::ListAuditRecordsResponse::records, &records);
  if (status.ok()) {
    out->audit_trail = std::move(records);
  } else if (!Withheld(status, "audit_trail", out)) {
    return status;
  }

  v1::Mobilisation::Stub mob(mobilisation.Channel());
  v1::ListRequestsRequest requests;
  requests.set_responder_id(responder_id);
  std::vector<v1::MobilisationRequest> asked;
  status = ListEveryPage(mobilisation, mob, requests, &v1::Mobilisation::Stub::ListRequests,
                         &v1::ListRequestsResponse::requests, &asked);
  if (status.ok()) {
    out->requests = std::move(asked);
  } else if (!Withheld(status, "mobilisation_requests", out)) {
    return status;
  }

  v1::ListAssignmentsRequest assignments;
  assignments.set_responder_id(responder_id);
  std::vector<v1::Assignment> sent;
  status = ListEveryPage(mobilisation, mob, assignments, &v1::Mobilisation::Stub::ListAssignments,
                         &v1::ListAssignmentsResponse::assignments, &sent);
  if (status.ok()) {
    out->assignments = std::move(sent);
  } else if (!Withheld(status, "assignments", out)) {
    return status;
  }

  v1::ListNotificationsRequest notifications;
  notifications.set_responder_id(responder_id);
  std::vector<v1::Notification> told;
  status =
      ListEveryPage(mobilisation, mob, notifications, &v1::Mobilisation::Stub::ListNotifications,
                    &v1::ListNotificationsResponse::notifications, &told);
  if (status.ok()) {
    out->notifications = std::move(told);
  } else if (!Withheld(status, "notifications", out)) {
    return status;
  }
  return grpc::Status::OK;
}

nlohmann::json ResponderExportDocument(const ResponderExport& data) {
  nlohmann::json withheld = nlohmann::json::array();
  for (const auto& [section, message] : data.withheld) {
    withheld.push_back({{"section", section}, {"code", "PERMISSION_DENIED"}, {"message", message}});
  }
  return {
      {"kind", "relais.responder_export"},
      {"format_version", 1},
      {"responder_id", data.responder_id},
      {"generated_at",
       absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", data.generated_at, absl::UTCTimeZone())},
      {"generated_by", {{"principal", data.principal}, {"role", data.role}}},
      {"complete", data.withheld.empty()},
      {"sections",
       {
           {"responder", AsJson(data.responder)},
           {"availability", data.availability ? AsJson(*data.availability) : nullptr},
           {"teams", AsJson(data.teams)},
           {"mobilisation_requests", AsJson(data.requests)},
           {"assignments", AsJson(data.assignments)},
           {"notifications", AsJson(data.notifications)},
           {"audit_trail", AsJson(data.audit_trail)},
       }},
      {"withheld", withheld},
      {"not_included", NotIncluded()},
  };
}

std::optional<std::string> WriteExportFile(const std::string& path, const std::string& content,
                                           bool force) {
  const auto failed = [&](int error) {
    return Say(Msg::kExportCannotWrite, path, std::strerror(error));
  };
  std::error_code exists_error;
  if (!force && std::filesystem::exists(path, exists_error)) {
    return Say(Msg::kExportFileExists, path);
  }
  // Without --force O_EXCL also loses no race; with it, a new file of our own is renamed over
  // the old one, which would otherwise keep its mode (and any other hard link its content).
  const std::string written = force ? path + ".relais-export-tmp" : path;
  if (force) ::unlink(written.c_str());
  const int fd = ::open(written.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return Say(Msg::kExportFileExists, path);
    return failed(errno);
  }
  ::fchmod(fd, 0600);  // whatever the umask
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      ::close(fd);
      ::unlink(written.c_str());
      return failed(error);
    }
    done += static_cast<size_t>(n);
  }
  const int synced = ::fsync(fd) == 0 ? 0 : errno;
  const int closed = ::close(fd) == 0 ? 0 : errno;
  if (synced != 0 || closed != 0) {
    ::unlink(written.c_str());
    return failed(synced != 0 ? synced : closed);
  }
  if (force && std::rename(written.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(written.c_str());
    return failed(error);
  }
  return std::nullopt;
}

}  // namespace relais::cli
