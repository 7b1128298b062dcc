#include "feature-offload.h"

#include "scenario-schema.h"

namespace ns3
{

void
OffloadFeature::Install(const ScenarioConfig& config, ScenarioNetwork& network)
{
    const OffloadConfig& cfg = config.offload;
    if (!cfg.enabled)
    {
        return;
    }
    const schema::Section& section = *schema::FindSection("offload");
    Ptr<OverlayNetwork> overlay = network.overlay;
    const uint32_t numHosts = overlay->GetHostCount();
    const std::vector<OverlayNetwork::Vm>& vms = overlay->GetVms();

    std::set<uint32_t> vnis;
    for (const SegmentConfig& segment : config.overlay.segments)
    {
        vnis.insert(segment.vni);
    }
    Ipv4Address gatewayIp = Ipv4Address::GetAny();
    if (cfg.gateway)
    {
        m_gateway = cfg.gateway->GetIndex();
        Ptr<Vtep> vtep = overlay->GetVtep(*m_gateway);
        Ptr<VirtualSwitch> vswitch = overlay->GetVirtualSwitch(*m_gateway);
        gatewayIp = vtep->GetLocalAddress();
        vswitch->SetRelay(true);
        for (const OverlayNetwork::Vm& vm : vms)
        {
            if (vm.host != *m_gateway &&
                !vswitch->GetL2Lookup()->Lookup(vm.vni, NicMappingTable::MacToInt(vm.mac)))
            {
                const uint32_t tunnel =
                    vtep->AddTunnel(overlay->GetVtep(vm.host)->GetLocalAddress());
                vswitch->AddRemoteEntry(vm.vni, vm.mac, tunnel);
            }
        }
    }

    const std::vector<bool> offloads = OffloadingHosts(config);
    FastPathInventory& inventory = network.fastPath;
    inventory.offloading = offloads;
    network.offloadMasters.assign(numHosts, nullptr);
    inventory.gateway = m_gateway;
    for (uint32_t h = 0; h < numHosts; ++h)
    {
        if (!offloads[h])
        {
            continue;
        }
        Host host{h, CreateObject<HostMappingTable>(), CreateObject<OffloadEncapsulation>(), {}};
        schema::ApplyAttributes(section, &cfg, host.master);
        Ptr<Vtep> vtep = overlay->GetVtep(h);
        host.strategy->SetHostTable(host.master);
        host.strategy->SetNicOam(config.monitoring.enabled &&
                                 config.monitoring.echoPath == EchoPath::NIC);
        vtep->SetEncapsulationStrategy(host.strategy);
        for (uint32_t k = 0; k < vtep->GetUplinks().size(); ++k)
        {
            Ptr<NicMappingTable> table = CreateObject<NicMappingTable>();
            schema::ApplyAttributes(section, &cfg, table);
            Ptr<OffloadNic> nic = CreateObject<OffloadNic>();
            schema::ApplyAttributes(section, &cfg, nic);
            nic->SetProtocol(vtep->GetEncapsulation());
            nic->SetLocalAddress(vtep->GetLocalAddress());
            nic->SetTable(table);
            HostMappingTable* master = PeekPointer(host.master);
            NicMappingTable* copy = PeekPointer(table);
            nic->SetMissCallback(OffloadNic::MissCallback(
                [master, copy](uint32_t vni, uint64_t vm) { master->NicMiss(copy, vni, vm); }));
            vtep->ReplaceNic(k, nic);
            host.master->RegisterNic(table);
            // The gateway of this uplink's network is its leaf port (OffloadNic).
            const Mac48Address firstHop = vtep->GetUplinks()[k]->GetPeerMacAddress();
            for (uint32_t vni : vnis)
            {
                table->SetSegment(vni, {Ipv4Address::GetAny(), gatewayIp, firstHop});
            }
            nic->TraceConnectWithoutContext("Drop",
                                            MakeCallback(&FlowLedger::Drop, network.ledger.get()));
            nic->TraceConnectWithoutContext(
                "PipelineHold",
                MakeCallback(&FlowLedger::ServiceHold, network.ledger.get()));
            host.nics.push_back(nic);
            inventory.offloadNics.push_back(nic);
            FastPathResources& hw = inventory.nics;
            ++hw.nics;
            hw.tableEntries += table->GetProvisionedEntries();
            hw.tableMemoryMib += table->GetMemoryBytes() / 1048576.0;
            hw.lookupRateMpps += cfg.lookupRate / 1e6;
            hw.pipelineSpeed += 1e3 / cfg.pipelineLatency.GetNanoSeconds();
            hw.updateRateMps += 1e3 / cfg.pushEntryLatency.GetNanoSeconds(); // per us
        }
        // VTEP created (Fig. 6, 605): the master gets what the controller programmed, one push.
        Ptr<L2LookupStage> l2 = overlay->GetVirtualSwitch(h)->GetL2Lookup();
        std::vector<MappingUpdate> programmed;
        for (const OverlayNetwork::Vm& vm : vms)
        {
            const L2LookupStage::Entry* e = l2->Lookup(vm.vni, NicMappingTable::MacToInt(vm.mac));
            if (e && !e->local)
            {
                Ptr<Vtep> remote = overlay->GetVtep(vm.host);
                programmed.push_back(
                    MappingUpdate{vm.vni,
                                  vm.mac,
                                  false,
                                  VtepMapping{remote->GetLocalAddress(), remote->GetMacAddress()}});
            }
        }
        if (!programmed.empty())
        {
            host.master->Update(programmed);
        }
        network.offloadMasters[h] = host.master;
        m_hosts.push_back(std::move(host));
    }
}

void
OffloadFeature::Collect(const ScenarioConfig& config,
                        const ScenarioNetwork& network,
                        nlohmann::ordered_json& results)
{
    if (!config.offload.enabled)
    {
        return;
    }
    nlohmann::ordered_json hosts = nlohmann::ordered_json::object();
    OffloadNic::Counters sum;
    NicMappingTable::Counters tableSum;
    for (const Host& host : m_hosts)
    {
        const HostMappingTable::Counters& m = host.master->GetCounters();
        nlohmann::ordered_json nics = nlohmann::ordered_json::array();
        for (uint32_t k = 0; k < host.nics.size(); ++k)
        {
            const OffloadNic::Counters& c = host.nics[k]->GetCounters();
            Ptr<NicMappingTable> table = host.nics[k]->GetTable();
            const NicMappingTable::Counters& t = table->GetCounters();
            nics.push_back({{"uplink", k},
                            {"table_entries", table->GetSize()},
                            {"lookups", t.lookups},
                            {"misses", t.misses},
                            {"encapsulated", c.encapsulated},
                            {"gateway_bound", c.gatewayBound},
                            {"miss_dropped", c.missDropped},
                            {"decapsulated", c.decapsulated},
                            {"learn_notices", c.learnNotices},
                            {"rx_refused", c.rxRefused},
                            {"passed_through", c.passedThrough},
                            {"pipeline_dropped", c.pipelineDropped},
                            {"pushes", t.pushes},
                            {"entries_applied", t.entriesApplied},
                            {"refused", t.refused}});
            sum.encapsulated += c.encapsulated;
            sum.gatewayBound += c.gatewayBound;
            sum.missDropped += c.missDropped;
            sum.decapsulated += c.decapsulated;
            sum.lroAggregates += c.lroAggregates;
            sum.lroSegments += c.lroSegments;
            tableSum.misses += t.misses;
            tableSum.refused += t.refused;
            tableSum.pushes += t.pushes;
        }
        hosts[HostRef(host.host).Format()] = {{"tagged", host.strategy->GetTagged()},
                                              {"master_entries", host.master->GetSize()},
                                              {"updates", m.updates},
                                              {"learned", m.learned},
                                              {"miss_events", m.missEvents},
                                              {"miss_repushes", m.missRepushes},
                                              {"nics", nics}};
    }
    results["offload"] = {
        {"hosts", hosts},
        {"totals",
         {{"encapsulated", sum.encapsulated},
          {"gateway_bound", sum.gatewayBound},
          {"misses", tableSum.misses},
          {"miss_dropped", sum.missDropped},
          {"decapsulated", sum.decapsulated},
          {"refused", tableSum.refused},
          {"pushes", tableSum.pushes}}},
        {"gateway",
         {{"host", m_gateway ? nlohmann::ordered_json(HostRef(*m_gateway).Format()) : nullptr},
          {"relayed",
           m_gateway ? network.overlay->GetVirtualSwitch(*m_gateway)->GetRelayed() : 0}}}};
    if (config.offload.lro)
    {
        results["offload"]["lro"] = {
            {"aggregates", sum.lroAggregates},
            {"segments", sum.lroSegments},
            {"segments_per_aggregate",
             sum.lroAggregates ? nlohmann::ordered_json(double(sum.lroSegments) / sum.lroAggregates)
                               : nlohmann::ordered_json(nullptr)}};
    }
}

std::vector<ResultsField>
OffloadFeature::ResultsSections() const
{
    ResultsShape::NamesOf hostNames = [](const ScenarioConfig& c) {
        std::vector<std::string> names;
        const std::vector<bool> offloads = OffloadingHosts(c);
        for (uint32_t h = 0; h < offloads.size(); ++h)
        {
            if (offloads[h])
            {
                names.push_back(HostRef(h).Format());
            }
        }
        return std::optional<std::vector<std::string>>(names);
    };
    ResultsShape::CountOf uplinks = [](const ScenarioConfig& c) {
        return std::optional<size_t>(c.fabric.uplinksPerHost);
    };
    ResultsShape nic = ResultsObject(
        "One uplink's NIC: its table and its data path.",
        {{"uplink", ResultsNumber("", "The uplink index.")},
         {"table_entries", ResultsNumber("", "Entries in its table at the end.")},
         {"lookups", ResultsNumber("", "Transmit lookups (tagged frames).")},
         {"misses", ResultsNumber("", "Of them, without an entry (a miss event each).")},
         {"encapsulated", ResultsNumber("", "Tagged frames encapsulated from an entry.")},
         {"gateway_bound", ResultsNumber("", "Tagged frames that missed and went to the gateway.")},
         {"miss_dropped", ResultsNumber("", "Tagged frames that missed without a gateway.")},
         {"decapsulated", ResultsNumber("", "Tunnel packets it decapsulated.")},
         {"learn_notices",
          ResultsNumber("", "Of them, from a source VTEP its table does not give the VM.")},
         {"rx_refused", ResultsNumber("", "Received packets it refused (VLAN, inner checksum).")},
         {"passed_through", ResultsNumber("", "Frames sent or received without offload work.")},
         {"pipeline_dropped",
          ResultsNumber("", "Frames dropped: the pipeline's ring was full (nic_pipeline).")},
         {"pushes", ResultsNumber("", "Pushes applied to its table.")},
         {"entries_applied", ResultsNumber("", "Entries of those pushes.")},
         {"refused", ResultsNumber("", "New entries its full table refused.")}});
    ResultsShape host = ResultsObject(
        "One offloading host.",
        {{"tagged", ResultsNumber("", "Data frames its VTEP tagged for the NICs.")},
         {"master_entries", ResultsNumber("", "Entries in the hypervisor's table at the end.")},
         {"updates", ResultsNumber("", "Control events that changed it (one push each).")},
         {"learned", ResultsNumber("", "Of them, learned on ingress.")},
         {"miss_events", ResultsNumber("", "Miss events its NICs raised.")},
         {"miss_repushes", ResultsNumber("", "Of them, answered by pushing the entry again.")},
         {"nics", ResultsList("Per uplink.", "uplink", uplinks, nic)}});
    return {
        {"offload",
         ResultsObject(
             "NIC offload of the encapsulation (seed 002).",
             {{"hosts", ResultsNamed("Per offloading host.", "host", hostNames, host)},
              {"totals",
               ResultsObject("Sums over the offloading hosts' NICs.",
                             {{"encapsulated", ResultsNumber("", "Frames encapsulated by a NIC.")},
                              {"gateway_bound", ResultsNumber("", "Frames sent to the gateway.")},
                              {"misses", ResultsNumber("", "Transmit lookups without an entry.")},
                              {"miss_dropped", ResultsNumber("", "Misses dropped (no gateway).")},
                              {"decapsulated", ResultsNumber("", "Packets decapsulated by a NIC.")},
                              {"refused", ResultsNumber("", "Entries refused by full tables.")},
                              {"pushes", ResultsNumber("", "Pushes applied.")}})},
              {"gateway",
               ResultsObject(
                   "The overlay gateway.",
                   {{"host", ResultsText("Its host; null without one.").Nullable()},
                    {"relayed", ResultsNumber("", "Frames it relayed into another tunnel.")}})},
              {"lro",
               ResultsObject(
                   "Large receive offload, over the offloading hosts' NICs.",
                   {{"aggregates", ResultsNumber("", "Aggregates handed to the software.")},
                    {"segments", ResultsNumber("", "TCP segments in them.")},
                    {"segments_per_aggregate",
                     ResultsNumber("", "segments / aggregates; null: none.").Nullable()}})
                   .AbsentWhen([](const ScenarioConfig& c) {
                       return c.offload.lro ? std::string() : std::string("offload.lro is off");
                   })}})
             .AbsentWhen([](const ScenarioConfig& c) {
                 return c.offload.enabled ? std::string() : std::string("offload is off");
             })}};
}

} // namespace ns3
