#include "feature-faults.h"

#include "results-json.h"
#include "vtep.h"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

namespace ns3
{

using Json = nlohmann::ordered_json;
using namespace results_json;

namespace
{

using StatusChange = FaultInjector::StatusChange;

/// One DOWN of an echo stream and the UP that ended it (none if it lasted to the end).
struct DownSpell
{
    const StatusChange* down;
    std::optional<Time> upAt;
};

/// \return every DOWN with its UP, in the order of the DOWNs
std::vector<DownSpell>
DownSpells(const std::vector<StatusChange>& changes)
{
    std::vector<DownSpell> spells;
    std::map<std::tuple<uint32_t, uint32_t, uint32_t, uint32_t>, size_t> open; // stream -> spell
    for (const StatusChange& c : changes)
    {
        if (c.status == FaultInjector::Status::DEGRADED ||
            c.status == FaultInjector::Status::NOT_DEGRADED)
        {
            continue;
        }
        auto stream = std::make_tuple(c.host, c.tunnel, c.uplink, c.path);
        if (c.status == FaultInjector::Status::DOWN)
        {
            open[stream] = spells.size();
            spells.push_back({&c, std::nullopt});
            continue;
        }
        auto it = open.find(stream);
        if (it != open.end())
        {
            spells[it->second].upAt = c.at;
            open.erase(it);
        }
    }
    return spells;
}

bool
Contains(const std::vector<uint32_t>& v, uint32_t x)
{
    return std::find(v.begin(), v.end(), x) != v.end();
}

/**
 * \return whether a spell is a flap: it came back UP while its cause was still there -- a false
 * positive that ended, or a true DOWN that ended while a fault it saw was still active. A DOWN
 * that ends after every fault it saw was removed is a recovery, not a flap.
 */
bool
IsFlap(const DownSpell& s, const std::vector<FaultInjector::Timeline>& timelines)
{
    if (!s.upAt)
    {
        return false;
    }
    if (s.down->onPath.empty())
    {
        return true;
    }
    for (uint32_t k : s.down->onPath)
    {
        if (!timelines[k].end || *timelines[k].end > *s.upAt)
        {
            return true;
        }
    }
    return false;
}

/// \return milliseconds between two instants
double
Ms(Time from, Time to)
{
    return static_cast<double>((to - from).GetNanoSeconds()) / 1e6;
}

} // namespace

void
FaultsFeature::Install(const ScenarioConfig& config, ScenarioNetwork& network)
{
    m_ledger = network.ledger.get();
    m_ledger->SetFaultCount(config.faults.size());
    for (const FaultConfig& f : config.faults)
    {
        m_routed.push_back(f.kind == FaultKind::LINK_DOWN);
    }
    network.injector = CreateObject<FaultInjector>();
    network.injector->Install(config.faults, network.fabric, network.overlay);
    // After the traffic module's Drop sinks, as FlowLedger::FaultHit requires.
    network.injector->TraceConnectWithoutContext("FaultHit",
                                                 MakeCallback(&FlowLedger::FaultHit, m_ledger));
    network.injector->TraceConnectWithoutContext(
        "ElementCrossed",
        MakeCallback(&FlowLedger::ElementCrossed, m_ledger));
    network.injector->TraceConnectWithoutContext("FaultStarted",
                                                 MakeCallback(&FaultsFeature::FaultStarted, this));
    network.injector->TraceConnectWithoutContext("FaultEnded",
                                                 MakeCallback(&FaultsFeature::FaultEnded, this));
}

void
FaultsFeature::FaultStarted(uint32_t index)
{
    m_ledger->FaultStarted(index, m_routed[index]);
}

void
FaultsFeature::FaultEnded(uint32_t index)
{
    m_ledger->FaultEnded(index);
}

void
FaultsFeature::Collect(const ScenarioConfig& config, const ScenarioNetwork& network, Json& results)
{
    const FaultInjector& injector = *network.injector;
    const FlowLedger& ledger = *network.ledger;
    const auto& timelines = injector.GetTimelines();
    const auto& changes = injector.GetStatusChanges();
    const auto& choices = injector.GetUplinkChoiceChanges();
    const std::vector<DownSpell> spells = DownSpells(changes);
    const Time runEnd = config.duration;
    auto remoteOf = [&](uint32_t host, uint32_t tunnel) {
        return network.fabric->GetHostByVtep(
            network.overlay->GetVtep(host)->GetTunnelRemote(tunnel));
    };
    // "hostH/uplinkU->hostR" (the seed's stream), "hostH/uplinkU/pathP->hostR" (cover_ecmp_paths).
    auto streamName = [&](const StatusChange& c) {
        return fmt::format("host{}/uplink{}{}->host{}",
                           c.host,
                           c.uplink,
                           c.path == 0 ? std::string() : fmt::format("/path{}", c.path),
                           remoteOf(c.host, c.tunnel));
    };
    auto downMs = [&](const DownSpell& s) { return Ms(s.down->at, s.upAt ? *s.upAt : runEnd); };

    // Each host's changes of uplink choice, in time order, to find the first after an instant.
    std::unordered_map<uint32_t, std::vector<Time>> choicesOf;
    for (const auto& c : choices)
    {
        choicesOf[c.host].push_back(c.at);
    }
    auto firstChoiceChange = [&](uint32_t host, Time from) -> std::optional<Time> {
        auto it = choicesOf.find(host);
        if (it == choicesOf.end())
        {
            return std::nullopt;
        }
        auto at = std::lower_bound(it->second.begin(), it->second.end(), from);
        return at == it->second.end() ? std::nullopt : std::optional<Time>(*at);
    };
    std::set<uint32_t> sendersHitByAnyFault;
    for (uint32_t k = 0; k < config.faults.size(); ++k)
    {
        for (uint32_t i = 0; i < config.traffic.size(); ++i)
        {
            if (ledger.GetFaultRecord(k, i).hit)
            {
                sendersHitByAnyFault.insert(config.traffic[i].from.GetHostIndex());
            }
        }
    }
    Json faults = Json::array();
    for (uint32_t k = 0; k < config.faults.size(); ++k)
    {
        const FaultConfig& f = config.faults[k];
        const FaultInjector::Timeline& t = timelines[k];
        const bool carrier = f.kind == FaultKind::LINK_DOWN;
        // The hosts whose reactions are this fault's: those that send a flow it hit, and the
        // host whose own uplink it is on.
        std::set<uint32_t> concerned;
        for (uint32_t i = 0; i < config.traffic.size(); ++i)
        {
            if (ledger.GetFaultRecord(k, i).hit)
            {
                concerned.insert(config.traffic[i].from.GetHostIndex());
            }
        }
        std::optional<uint32_t> owner;
        if (f.target.IsHostUplink())
        {
            owner = f.target.GetFirst();
            concerned.insert(*owner);
        }
        // The first DOWN (or DEGRADED) of a host whose evidence met this fault going out.
        // Per host, its first DOWN (or DEGRADED) whose evidence met this fault going out: one
        // pass over the changes, not one per flow.
        std::unordered_map<uint32_t, const StatusChange*> firstAlarm;
        for (const StatusChange& c : changes)
        {
            if (c.IsAlarm() && Contains(c.onPath, k))
            {
                firstAlarm.emplace(c.host, &c);
            }
        }
        auto firstDownOf = [&](uint32_t host) -> const StatusChange* {
            auto it = firstAlarm.find(host);
            return it == firstAlarm.end() ? nullptr : it->second;
        };
        Json flows = Json::object();
        uint64_t lostTotal = 0;
        uint32_t hitFlows = 0;
        bool allRerouted = true;
        std::optional<Time> detected = carrier ? std::optional<Time>(t.at) : std::nullopt;
        std::string detectedBy = carrier ? "carrier" : "";
        std::optional<Time> failover;
        for (uint32_t i = 0; i < config.traffic.size(); ++i)
        {
            const FlowLedger::FlowFaultRecord& r = ledger.GetFaultRecord(k, i);
            if (!r.hit)
            {
                continue;
            }
            hitFlows++;
            const uint32_t source = config.traffic[i].from.GetHostIndex();
            std::optional<Time> flowDetected;
            if (carrier)
            {
                flowDetected = t.at;
            }
            else if (const StatusChange* c = firstDownOf(source))
            {
                flowDetected = c->at;
                if (!detected || c->at < *detected)
                {
                    detected = c->at;
                    detectedBy = streamName(*c);
                }
            }
            std::optional<Time> flowFailover =
                flowDetected ? firstChoiceChange(source, *flowDetected) : std::nullopt;
            if (flowFailover && (!failover || *flowFailover < *failover))
            {
                failover = flowFailover;
            }
            const bool recovered = r.recoveredAt.has_value();
            // Recovered while the fault was there (its path avoided it), or only once it was gone.
            const bool byFaultEnd = recovered && t.end && r.recoveredSentAt >= *t.end;
            allRerouted = allRerouted && recovered && !byFaultEnd;
            const uint64_t lost = ledger.GetLostToFault(k, i);
            lostTotal += lost;
            flows[config.traffic[i].name] =
                Json{{"first_hit_s", Sec(r.firstHitAt)},
                     {"lost", lost},
                     {"dropped_by_fault", r.droppedByFault},
                     {"detection_ms", OptMsSince(flowDetected, t.at)},
                     {"failover_ms", OptMsSince(flowFailover, t.at)},
                     {"recovered", recovered},
                     {"recovered_by",
                      recovered ? Json(byFaultEnd ? "fault-end" : "reroute") : Json(nullptr)},
                     {"recovered_s", OptSec(r.recoveredAt)},
                     {"recovery_ms", OptMsSince(r.recoveredAt, t.at)}};
        }
        if (owner)
        {
            // The host of the faulted uplink reacts to it even when no data was hit.
            std::optional<Time> ownDetected;
            if (carrier)
            {
                ownDetected = t.at;
            }
            else if (const StatusChange* c = firstDownOf(*owner))
            {
                ownDetected = c->at;
                if (!detected || c->at < *detected)
                {
                    detected = c->at;
                    detectedBy = streamName(*c);
                }
            }
            std::optional<Time> ownFailover =
                ownDetected ? firstChoiceChange(*owner, *ownDetected) : std::nullopt;
            if (ownFailover && (!failover || *ownFailover < *failover))
            {
                failover = ownFailover;
            }
        }
        const char* verdict = hitFlows == 0 ? "no-flow-hit"
                              : !detected   ? "not-detected"
                              : allRerouted ? "recovered"
                                            : "detected-not-recovered";
        Json reactions = Json::array();
        uint32_t unneededFailovers = 0;
        for (const StatusChange& c : changes)
        {
            if (c.IsAlarm() && Contains(c.onPath, k) && concerned.count(c.host) == 0)
            {
                // The DOWN is true (its echoes met the fault), but no data of this host did.
                std::optional<Time> moved = firstChoiceChange(c.host, c.at);
                // Unneeded unless another fault hit this host's data (faults acting together, as
                // a leaf losing every spine: the move may be what recovers that other fault).
                unneededFailovers += moved && sendersHitByAnyFault.count(c.host) == 0 ? 1 : 0;
                reactions.push_back(Json{{"t_s", Sec(c.at)},
                                         {"ms_after_fault", Ms(t.at, c.at)},
                                         {"stream", streamName(c)},
                                         {"failover_s", OptSec(moved)}});
            }
        }
        const Time windowEnd = t.end ? *t.end : runEnd;
        uint32_t falsePositives = 0;
        double falseDownMs = 0;
        uint32_t flaps = 0;
        for (const DownSpell& s : spells)
        {
            if (s.down->at < t.at || s.down->at > windowEnd)
            {
                continue;
            }
            if (s.down->onPath.empty())
            {
                falsePositives++;
                falseDownMs += downMs(s);
            }
            if (IsFlap(s, timelines) && *s.upAt <= windowEnd)
            {
                flaps++;
            }
        }
        faults.push_back(Json{{"kind", ToString(f.kind)},
                              {"target", f.target.Format()},
                              {"at_s", Sec(t.at)},
                              {"end_s", OptSec(t.end)},
                              {"verdict", verdict},
                              {"hit_flows", hitFlows},
                              {"detected", detected.has_value()},
                              {"detected_s", OptSec(detected)},
                              {"detection_ms", OptMsSince(detected, t.at)},
                              {"detected_by", detected ? Json(detectedBy) : Json(nullptr)},
                              {"uplink_switch_s", OptSec(failover)},
                              {"failover_ms", OptMsSince(failover, t.at)},
                              {"routes_converged_s", OptSec(t.routesConverged)},
                              {"recovered", hitFlows > 0 && allRerouted},
                              {"lost", lostTotal},
                              {"flows", flows},
                              {"unaffected_host_reactions", reactions},
                              {"unneeded_failovers", unneededFailovers},
                              {"false_positives", falsePositives},
                              {"false_positive_down_ms", falseDownMs},
                              {"flaps", flaps}});
    }
    results["faults"] = faults;

    if (!config.monitoring.enabled)
    {
        return;
    }
    uint32_t trueDowns = 0;
    uint32_t flaps = 0;
    double falseDownMs = 0;
    Json falsePositives = Json::array();
    for (const DownSpell& s : spells)
    {
        flaps += IsFlap(s, timelines) ? 1 : 0;
        if (!s.down->onPath.empty())
        {
            trueDowns++;
            continue;
        }
        falseDownMs += downMs(s);
        const std::vector<uint32_t>& remote = s.down->onReplyPath;
        falsePositives.push_back(
            Json{{"t_s", Sec(s.down->at)},
                 {"stream", streamName(*s.down)},
                 {"up_s", OptSec(s.upAt)},
                 {"down_ms", downMs(s)},
                 {"replies_met_fault", remote.empty() ? Json(nullptr) : Json(remote.front())}});
    }
    results["status_audit"] = Json{{"downs", spells.size()},
                                   {"true_downs", trueDowns},
                                   {"false_positives", falsePositives.size()},
                                   {"false_positive_down_ms", falseDownMs},
                                   {"flaps", flaps},
                                   {"false_positive_downs", falsePositives}};
}

std::vector<ResultsField>
FaultsFeature::ResultsSections() const
{
    ResultsShape::CountOf faultCount = [](const ScenarioConfig& c) {
        return std::optional<size_t>(c.faults.size());
    };
    ResultsShape::AbsentIf monitoringOff = [](const ScenarioConfig& c) {
        return c.monitoring.enabled ? std::string() : std::string("monitoring is off");
    };
    ResultsShape flow = ResultsObject(
        "What the fault did to one flow it hit.",
        {{"first_hit_s", ResultsNumber("s", "When a packet of it first met the fault.")},
         {"lost",
          ResultsNumber("",
                        "Its packets dropped anywhere between its first packet that met the "
                        "fault and its recovery (or the end of the run).")},
         {"dropped_by_fault", ResultsNumber("", "Of those, dropped by the fault itself.")},
         {"detection_ms",
          ResultsNumber("ms",
                        "Fault -> first DOWN, on its sending host, of an echo stream whose "
                        "unanswered echoes met the fault; for a link-down, 0 (the carrier). Null "
                        "if never.")
              .Nullable()},
         {"failover_ms",
          ResultsNumber("ms", "Fault -> that host's next change of uplink choice; null if none.")
              .Nullable()},
         {"recovered",
          ResultsBoolean("A packet of it got through on a path avoiding the fault after the "
                         "last one that met it.")},
         {"recovered_by",
          ResultsText("reroute (sent while the fault was active) or fault-end (sent after it "
                      "was removed); null if it never recovered.")
              .Nullable()},
         {"recovered_s", ResultsNumber("s", "That delivery; null if never.").Nullable()},
         {"recovery_ms", ResultsNumber("ms", "recovered_s - at_s.").Nullable()}});
    ResultsShape reaction = ResultsObject(
        "A DOWN on the fault's path by a host that sends no flow it hit.",
        {{"t_s", ResultsNumber("s", "When.")},
         {"ms_after_fault", ResultsNumber("ms", "t_s - at_s.")},
         {"stream",
          ResultsText("hostH/uplinkU->hostR (or hostH/uplinkU/pathP->hostR, stream P of "
                      "monitoring.cover_ecmp_paths): the echo stream that went DOWN.")},
         {"failover_s",
          ResultsNumber("s", "That host's next change of uplink choice; null if none.")
              .Nullable()}});
    ResultsShape fault = ResultsObject(
        "One fault, the flows it hit and the reactions to it.",
        {
            {"kind", ResultsText("Fault kind (link-down, silent-drop, ...).")},
            {"target", ResultsText("The link or port it hits.")},
            {"at_s", ResultsNumber("s", "When it was applied.")},
            {"end_s", ResultsNumber("s", "When it was removed; null if it lasts.").Nullable()},
            {"verdict",
             ResultsText("recovered (detected, and every flow it hit got through on a path "
                         "avoiding it while it lasted), detected-not-recovered, not-detected, "
                         "or no-flow-hit.")},
            {"hit_flows", ResultsNumber("", "Flows with a packet that met the fault.")},
            {"detected", ResultsBoolean("detected_s is not null.")},
            {"detected_s",
             ResultsNumber("s",
                           "Earliest detection of the flows it hit (see flows.*.detection_ms), "
                           "or by the host whose uplink it is on; null if none.")
                 .Nullable()},
            {"detection_ms", ResultsNumber("ms", "detected_s - at_s.").Nullable()},
            {"detected_by",
             ResultsText("carrier, or the echo stream hostH/uplinkU->hostR that went DOWN first.")
                 .Nullable()},
            {"uplink_switch_s",
             ResultsNumber("s",
                           "Earliest failover of the flows it hit, or of the host whose uplink it "
                           "is on; null if none.")
                 .Nullable()},
            {"failover_ms", ResultsNumber("ms", "uplink_switch_s - at_s.").Nullable()},
            {"routes_converged_s",
             ResultsNumber("s", "When the fabric's routes were recomputed; null if never.")
                 .Nullable()},
            {"recovered", ResultsBoolean("verdict is recovered.")},
            {"lost", ResultsNumber("", "Sum of lost over the flows it hit.")},
            {"flows",
             ResultsNamed("The flows it hit (the others are left out).",
                          "flow",
                          ResultsFlowNames(),
                          flow)},
            {"unaffected_host_reactions",
             ResultsList("DOWNs on its path by hosts that send no flow it hit: listed, never its "
                         "detection.",
                         "reaction index",
                         nullptr,
                         reaction)},
            {"unneeded_failovers",
             ResultsNumber("",
                           "Of those reactions, the ones the host answered by changing its uplink "
                           "choice while no fault of the run hit any of its data.")},
            {"false_positives",
             ResultsNumber("", "DOWNs while it was active whose unanswered echoes met no fault.")},
            {"false_positive_down_ms", ResultsNumber("ms", "Their time DOWN, summed.")},
            {"flaps",
             ResultsNumber("",
                           "DOWN -> UP cycles within its window that came back UP while their "
                           "cause remained (see status_audit.flaps).")},
        });
    ResultsShape falsePositive = ResultsObject(
        "A DOWN whose unanswered echoes met no fault on their way out.",
        {{"t_s", ResultsNumber("s", "When.")},
         {"stream",
          ResultsText("hostH/uplinkU->hostR (or hostH/uplinkU/pathP->hostR, stream P of "
                      "monitoring.cover_ecmp_paths): the echo stream that went DOWN.")},
         {"up_s", ResultsNumber("s", "When it came back UP; null if never.").Nullable()},
         {"down_ms", ResultsNumber("ms", "Time DOWN (to the end of the run if never UP).")},
         {"replies_met_fault",
          ResultsNumber("",
                        "Index of a fault that the replies met (a remote host's problem); null "
                        "if none did.")
              .Nullable()}});
    ResultsShape audit = ResultsObject(
        "Every uplink DOWN judged against the faults that were really there.",
        {{"downs", ResultsNumber("", "UP -> DOWN transitions of every echo stream.")},
         {"true_downs", ResultsNumber("", "Those whose unanswered echoes met a fault going out.")},
         {"false_positives", ResultsNumber("", "The others.")},
         {"false_positive_down_ms", ResultsNumber("ms", "Their time DOWN, summed.")},
         {"flaps",
          ResultsNumber("",
                        "DOWN -> UP cycles that came back UP while their cause remained: a false "
                        "positive that ended, or a true DOWN that ended while its fault lasted.")},
         {"false_positive_downs",
          ResultsList("The false positives, in time order.", "index", nullptr, falsePositive)}});
    return {
        {"faults",
         ResultsList("Every fault, in the order of the file.", "fault index", faultCount, fault)},
        {"status_audit", audit.AbsentWhen(monitoringOff)}};
}

} // namespace ns3
