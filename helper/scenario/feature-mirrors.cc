#include "feature-mirrors.h"

#include "scenario-schema.h"

#include "ns3/simulator.h"

#include <map>
#include <set>

namespace ns3
{

using Json = nlohmann::ordered_json;

void
MirrorsFeature::Install(const ScenarioConfig& config, ScenarioNetwork& network)
{
    if (config.mirrors.empty())
    {
        return;
    }
    const schema::Section& section = *schema::FindSection("mirrors");
    Ptr<OverlayNetwork> overlay = network.overlay;
    const uint32_t hosts = overlay->GetHostCount();
    std::set<uint32_t> hostsWithVms; // the overlay's VTEPs: the logical switches span them
    for (const OverlayNetwork::Vm& vm : overlay->GetVms())
    {
        hostsWithVms.insert(vm.host);
    }
    m_sessions.resize(config.mirrors.size());
    for (size_t i = 0; i < config.mirrors.size(); ++i)
    {
        const MirrorConfig& mc = config.mirrors[i];
        Session& session = m_sessions[i];
        session.toHost.resize(hosts);
        for (uint32_t h = 0; h < hosts; ++h)
        {
            overlay->GetVirtualSwitch(h)->SetMirrorVni(mc.vni);
        }
        std::set<uint32_t> monitorHosts;
        for (const VmRef& name : mc.monitors)
        {
            const OverlayNetwork::Vm& vm = overlay->GetVm(name);
            overlay->GetVirtualSwitch(vm.host)->AddCapturePort(vm.port);
            Ptr<MirrorCapture> capture = CreateObject<MirrorCapture>();
            capture->Attach(vm.vnic, static_cast<uint16_t>(i));
            session.captures.push_back(capture);
            session.monitorHosts.push_back(vm.host);
            monitorHosts.insert(vm.host);
        }
        const std::set<uint32_t>& vteps =
            mc.unicastTo == MirrorVteps::OVERLAY ? hostsWithVms : monitorHosts;
        if (mc.mode == MirrorMode::MULTICAST)
        {
            for (uint32_t h : monitorHosts)
            {
                Ptr<Vtep> vtep = overlay->GetVtep(h);
                uint64_t* reports = &session.igmpReports;
                vtep->TraceConnectWithoutContext(
                    "IgmpTx",
                    Callback<void, Ptr<const Packet>, uint32_t>(
                        [reports](Ptr<const Packet>, uint32_t) { ++*reports; }));
                Simulator::ScheduleNow(&Vtep::JoinGroup, vtep, mc.group);
            }
        }
        std::map<uint32_t, size_t> listOfHost;
        for (const VmRef& name : mc.ports)
        {
            const OverlayNetwork::Vm& vm = overlay->GetVm(name);
            auto [it, isNew] = listOfHost.emplace(vm.host, session.lists.size());
            if (isNew)
            {
                Ptr<Vtep> vtep = overlay->GetVtep(vm.host);
                Ptr<MirroredPacketList> list = CreateObject<MirroredPacketList>();
                schema::ApplyAttributes(section, &mc, list);
                list->Configure(vtep,
                                overlay->GetVirtualSwitch(vm.host),
                                mc.vni,
                                static_cast<uint16_t>(i),
                                static_cast<uint16_t>(session.lists.size()));
                if (mc.mode == MirrorMode::MULTICAST)
                {
                    list->SetMulticastGroup(mc.group,
                                            monitorHosts.count(vm.host) != 0
                                                ? std::optional<uint32_t>(vm.host)
                                                : std::nullopt);
                }
                else
                {
                    std::vector<MirroredPacketList::Destination> destinations;
                    for (uint32_t h : vteps)
                    {
                        if (h == vm.host)
                        {
                            if (monitorHosts.count(h) != 0)
                            {
                                destinations.push_back({MirroredPacketList::LOCAL, h});
                            }
                            continue;
                        }
                        const Ipv4Address remote = overlay->GetVtep(h)->GetLocalAddress();
                        uint32_t tunnel = vtep->FindTunnel(remote);
                        if (tunnel == Vtep::NO_TUNNEL)
                        {
                            tunnel = vtep->AddTunnel(remote);
                        }
                        // The mirroring overlay's VTEPs are a logical switch's: tunnels both ways,
                        // so that monitoring's BFD session on the copies' tunnel comes Up and an
                        // uplink failure moves the copies too (installed before monitoring).
                        Ptr<Vtep> back = overlay->GetVtep(h);
                        if (back->FindTunnel(vtep->GetLocalAddress()) == Vtep::NO_TUNNEL)
                        {
                            back->AddTunnel(vtep->GetLocalAddress());
                        }
                        destinations.push_back({tunnel, h});
                    }
                    list->SetUnicastDestinations(std::move(destinations));
                }
                if (network.ledger)
                {
                    list->TraceConnectWithoutContext(
                        "Drop",
                        MakeCallback(&FlowLedger::Drop, network.ledger.get()));
                }
                std::vector<HostCopies>* toHost = &session.toHost;
                list->TraceConnectWithoutContext(
                    "CopySent",
                    Callback<void, Ptr<const Packet>>([toHost](Ptr<const Packet> copy) {
                        MirrorTag tag;
                        copy->PeekPacketTag(tag);
                        if (tag.GetToHost() < toHost->size())
                        {
                            ++(*toHost)[tag.GetToHost()].sent;
                        }
                    }));
                Ptr<MirrorFilter> filter = CreateObject<MirrorFilter>();
                filter->Configure(list,
                                  mc.direction != MirrorDirection::TRANSMITTED,
                                  mc.direction != MirrorDirection::RECEIVED);
                session.listHosts.push_back(vm.host);
                session.lists.push_back(list);
                session.filters.push_back(filter);
            }
            const Ptr<MirrorFilter>& filter = session.filters[it->second];
            // First stage: the clone is the frame as the VM sent it, before ARP suppression.
            overlay->GetVirtualSwitch(vm.host)->InsertStage(vm.port, filter, 0);
            vm.vnic->TraceConnectWithoutContext("MacRx",
                                                MakeCallback(&MirrorFilter::Received, filter));
        }
    }
    if (network.ledger)
    {
        network.ledger->SetOtherDropSink(MakeCallback(&MirrorsFeature::CopyDropped, this));
    }
    for (const Ptr<FabricSwitch>& sw : network.fabric->GetSwitches())
    {
        sw->TraceConnectWithoutContext(
            "MulticastPruned",
            Callback<void, Ptr<const Packet>>([this](Ptr<const Packet> frame) {
                MirrorTag tag;
                if (frame->PeekPacketTag(tag) && tag.GetSession() < m_sessions.size())
                {
                    ++m_sessions[tag.GetSession()].pruned;
                }
            }));
    }
    // Underlay bytes of the copies: devices by link, the first-named end (host, or leaf) first.
    const std::vector<Ptr<FabricNetDevice>>& devices = network.fabric->GetDevices();
    const std::vector<std::string> links = network.fabric->GetLinkNames();
    for (size_t l = 0; l < links.size(); ++l)
    {
        const bool access = links[l].rfind("host", 0) == 0;
        const Tier up = access ? HOST_TO_LEAF : LEAF_TO_SPINE;
        const Tier down = access ? LEAF_TO_HOST : SPINE_TO_LEAF;
        for (const auto& [device, tier] :
             {std::pair{devices[2 * l], up}, {devices[2 * l + 1], down}})
        {
            const Tier t = tier;
            device->TraceConnectWithoutContext(
                "WireTx",
                Callback<void, Ptr<const Packet>>(
                    [this, t](Ptr<const Packet> frame) { WireTx(t, frame); }));
        }
    }
}

void
MirrorsFeature::CopyDropped(Ptr<const Packet> packet, DropReason reason)
{
    MirrorTag tag;
    if (!packet->PeekPacketTag(tag) || tag.GetSession() >= m_sessions.size() ||
        reason == DropReason::MIRROR_LIST_OVERFLOW) // the lists count their own overflow
    {
        return;
    }
    Session& session = m_sessions[tag.GetSession()];
    ++session.copyDrops[static_cast<size_t>(reason)];
    if (tag.GetToHost() >= session.toHost.size())
    {
        return; // a multicast copy: for no one host
    }
    ++session.toHost[tag.GetToHost()].dropped[static_cast<size_t>(reason)];
}

void
MirrorsFeature::WireTx(Tier tier, Ptr<const Packet> frame)
{
    MirrorTag tag;
    if (!frame->PeekPacketTag(tag) || tag.GetSession() >= m_sessions.size())
    {
        return;
    }
    Session& session = m_sessions[tag.GetSession()];
    ++session.wireFrames[tier];
    session.wireBytes[tier] += frame->GetSize();
}

namespace
{

/// \return \p t in milliseconds
double
Ms(Time t)
{
    return t.GetNanoSeconds() / 1e6;
}

} // namespace

void
MirrorsFeature::Collect(const ScenarioConfig& config,
                        const ScenarioNetwork& network,
                        nlohmann::ordered_json& results)
{
    if (config.mirrors.empty())
    {
        return;
    }
    Json list = Json::array();
    for (size_t i = 0; i < m_sessions.size(); ++i)
    {
        const MirrorConfig& mc = config.mirrors[i];
        const Session& session = m_sessions[i];
        MirroredPacketList::Counters total;
        uint64_t queued = 0;
        Json lists = Json::array();
        for (size_t l = 0; l < session.lists.size(); ++l)
        {
            const MirroredPacketList::Counters& c = session.lists[l]->GetCounters();
            total.cloned += c.cloned;
            total.clonedBytes += c.clonedBytes;
            total.overflowed += c.overflowed;
            total.serviced += c.serviced;
            total.copiesSent += c.copiesSent;
            total.copyBytes += c.copyBytes;
            queued += session.lists[l]->GetLength();
            lists.push_back({{"host", HostRef(session.listHosts[l]).Format()},
                             {"copies_per_packet", session.lists[l]->GetCopiesPerClone()},
                             {"mirrored_packets", c.cloned},
                             {"overflowed", c.overflowed},
                             {"peak_length", c.peakLength},
                             {"queued_at_end", session.lists[l]->GetLength()},
                             {"copies_sent", c.copiesSent}});
        }
        uint64_t noMonitor = 0;
        for (const HostCopies& h : session.toHost)
        {
            noMonitor += h.dropped[static_cast<size_t>(DropReason::NO_MONITOR)];
        }
        uint64_t wireFrames = 0;
        uint64_t wireBytes = 0;
        for (size_t t = 0; t < TIERS; ++t)
        {
            wireFrames += session.wireFrames[t];
            wireBytes += session.wireBytes[t];
        }
        Json monitors = Json::array();
        for (size_t k = 0; k < session.captures.size(); ++k)
        {
            const MirrorCapture::Counters& c = session.captures[k]->GetCounters();
            const HostCopies& copies = session.toHost[session.monitorHosts[k]];
            Json dropped = Json::object();
            uint64_t droppedTotal = 0;
            if (total.overflowed > 0)
            {
                dropped[ToString(DropReason::MIRROR_LIST_OVERFLOW)] = total.overflowed;
                droppedTotal += total.overflowed;
            }
            for (size_t r = 0; r < copies.dropped.size(); ++r)
            {
                if (copies.dropped[r] > 0)
                {
                    dropped[ToString(static_cast<DropReason>(r))] = copies.dropped[r];
                    droppedTotal += copies.dropped[r];
                }
            }
            const uint64_t delivered = c.packets - c.duplicates;
            const int64_t missing =
                static_cast<int64_t>(total.cloned) - static_cast<int64_t>(delivered + droppedTotal);
            monitors.push_back(
                {{"vm", mc.monitors[k].Format()},
                 {"host", HostRef(session.monitorHosts[k]).Format()},
                 {"delivered_packets", delivered},
                 {"delivered_bytes", c.bytes},
                 {"duplicates", c.duplicates},
                 {"reordered", c.reordered},
                 {"received_side", c.received},
                 {"transmitted_side", c.transmitted},
                 {"dropped", dropped},
                 {"missing", missing},
                 {"latency_ms",
                  c.packets == 0
                      ? Json(nullptr)
                      : Json({{"min", Ms(c.minLatency)},
                              {"mean",
                               Ms(TimeStep(c.latencySumTs / static_cast<int64_t>(c.packets)))},
                              {"max", Ms(c.maxLatency)}})}});
        }
        Json copyDrops = Json::object();
        for (size_t r = 0; r < session.copyDrops.size(); ++r)
        {
            if (session.copyDrops[r] > 0)
            {
                copyDrops[ToString(static_cast<DropReason>(r))] = session.copyDrops[r];
            }
        }
        Json tiers = {{"host_to_leaf", session.wireFrames[HOST_TO_LEAF]},
                      {"leaf_to_spine", session.wireFrames[LEAF_TO_SPINE]},
                      {"spine_to_leaf", session.wireFrames[SPINE_TO_LEAF]},
                      {"leaf_to_host", session.wireFrames[LEAF_TO_HOST]}};
        list.push_back({{"name", mc.name},
                        {"vni", mc.vni},
                        {"mode", ToString(mc.mode)},
                        {"mirrored_packets", total.cloned},
                        {"mirrored_bytes", total.clonedBytes},
                        {"list_overflowed", total.overflowed},
                        {"queued_at_end", queued},
                        {"copies_sent", total.copiesSent},
                        {"copies_no_monitor", noMonitor},
                        {"copies_dropped", copyDrops},
                        {"igmp_reports", session.igmpReports},
                        {"copies_pruned", session.pruned},
                        {"underlay_frames", wireFrames},
                        {"underlay_bytes", wireBytes},
                        {"underlay_frames_by_tier", tiers},
                        {"underlay_bytes_per_mirrored_byte",
                         total.clonedBytes == 0 ? Json(nullptr)
                                                : Json(static_cast<double>(wireBytes) /
                                                       static_cast<double>(total.clonedBytes))},
                        {"lists", lists},
                        {"monitors", monitors}});
    }
    results["mirrors"] = list;
}

std::vector<ResultsField>
MirrorsFeature::ResultsSections() const
{
    ResultsShape latency = ResultsObject(
        "From the filter's clone to the monitor's capture handler (list wait, the worker's "
        "copy time, the underlay, the receiving host); null: nothing received.",
        {{"min", ResultsNumber("ms", "Smallest.")},
         {"mean", ResultsNumber("ms", "Mean.")},
         {"max", ResultsNumber("ms", "Largest.")}});
    ResultsShape monitor = ResultsObject(
        "One monitor VM: mirrored_packets of its session = delivered_packets + the sum of "
        "dropped + missing.",
        {{"vm", ResultsText("The monitor VM.")},
         {"host", ResultsText("Its host.")},
         {"delivered_packets",
          ResultsNumber("", "Mirrored packets its capture port received, once each.")},
         {"delivered_bytes",
          ResultsNumber("bytes", "Their frame bytes (the mirrored frames, duplicates included).")},
         {"duplicates", ResultsNumber("", "Mirrored packets received more than once.")},
         {"reordered", ResultsNumber("", "Received after a later-cloned packet of the same list.")},
         {"received_side",
          ResultsNumber("",
                        "Received packets that were clones of frames "
                        "handed to a mirrored VM.")},
         {"transmitted_side",
          ResultsNumber("", "Received packets that were clones of frames a mirrored VM sent.")},
         {"dropped",
          ResultsNamed("Mirrored packets that never reached it, by reason: "
                       "mirror_list_overflow (its session's lists were full), and each reason "
                       "a copy for its host was lost to on the way.",
                       "drop reason",
                       ResultsDropReasons(),
                       ResultsNumber("", "Packets."))
              .ZeroWhenAbsent()},
         {"missing",
          ResultsNumber("",
                        "The rest, which no reason of its own explains: in a list or on the "
                        "wire at the end (0 when the mirrored traffic stops before the end), and "
                        "in multicast mode the copies lost on the way to it (the session's "
                        "copies_dropped, or copies_pruned while a link failure cut its leaf off "
                        "the tree).")},
         {"latency_ms", latency.Nullable()}});
    ResultsShape listShape = ResultsObject(
        "The session's mirrored-packet list and worker on one host with mirrored ports.",
        {{"host", ResultsText("The host.")},
         {"copies_per_packet",
          ResultsNumber("",
                        "Copies the worker makes of each clone: the VTEPs of the mirroring "
                        "overlay on other hosts, and 1 for a monitor on this host.")},
         {"mirrored_packets", ResultsNumber("", "Clones its filter made.")},
         {"overflowed", ResultsNumber("", "Of them, dropped because the list was full.")},
         {"peak_length", ResultsNumber("", "Most clones in the list at once.")},
         {"queued_at_end", ResultsNumber("", "Clones in the list at the end.")},
         {"copies_sent", ResultsNumber("", "Copies the worker sent.")}});
    ResultsShape tiers =
        ResultsObject("Frames of the session's copies sent on the underlay links, by direction.",
                      {{"host_to_leaf", ResultsNumber("", "Out of host uplinks.")},
                       {"leaf_to_spine", ResultsNumber("", "Leaf to spine.")},
                       {"spine_to_leaf", ResultsNumber("", "Spine to leaf.")},
                       {"leaf_to_host", ResultsNumber("", "Leaf to host.")}});
    ResultsShape session = ResultsObject(
        "One mirror session.",
        {{"name", ResultsText("The session's name.")},
         {"vni", ResultsNumber("", "The mirror VNI.")},
         {"mode", ResultsText("unicast or multicast.")},
         {"mirrored_packets", ResultsNumber("", "Clones the session's filters made.")},
         {"mirrored_bytes", ResultsNumber("bytes", "Their frame bytes.")},
         {"list_overflowed", ResultsNumber("", "Clones dropped on full lists.")},
         {"queued_at_end", ResultsNumber("", "Clones still in the lists at the end.")},
         {"copies_sent", ResultsNumber("", "Copies the workers sent.")},
         {"copies_no_monitor",
          ResultsNumber("", "Copies dropped at a VTEP with no monitor VM (no_monitor; Fig. 6).")},
         {"copies_dropped",
          ResultsNamed("Every drop of the session's copies on the way, by reason (no_monitor "
                       "included; a multicast copy lost on a link is lost to every monitor below "
                       "it, so it is counted here, not per monitor).",
                       "drop reason",
                       ResultsDropReasons(),
                       ResultsNumber("", "Copies."))
              .ZeroWhenAbsent()},
         {"copies_pruned",
          ResultsNumber("",
                        "Multicast: copies a switch consumed because no port but the one "
                        "they came in on had members: normal for the copy up to the root "
                        "spine when every monitor is below the sending leaf; a loss to the "
                        "monitors below a leaf that a link failure cut off the root until "
                        "routing converged and the tree was rebuilt.")},
         {"igmp_reports",
          ResultsNumber("",
                        "Multicast: IGMPv3 membership reports the monitors' hosts sent "
                        "(a join at the start, again after a carrier loss); 0 in unicast.")},
         {"underlay_frames", ResultsNumber("", "Copy frames sent on underlay links, all hops.")},
         {"underlay_bytes", ResultsNumber("bytes", "Their bytes (outer headers included).")},
         {"underlay_frames_by_tier", tiers},
         {"underlay_bytes_per_mirrored_byte",
          ResultsNumber("",
                        "underlay_bytes / mirrored_bytes: the underlay's cost of mirroring "
                        "one byte in this mode; null: nothing mirrored.")
              .Nullable()},
         {"lists", ResultsList("Per host with mirrored ports.", "list index", nullptr, listShape)},
         {"monitors",
          ResultsList("Per monitor VM, in the order of monitors.",
                      "monitor index",
                      nullptr,
                      monitor)}});
    return {{"mirrors",
             ResultsList(
                 "The mirror sessions, in the order of mirrors.",
                 "session index",
                 [](const ScenarioConfig& c) { return std::optional<size_t>(c.mirrors.size()); },
                 session)
                 .AbsentWhen([](const ScenarioConfig& c) {
                     return c.mirrors.empty() ? std::string("no mirrors") : std::string();
                 })}};
}

} // namespace ns3
