#include "feature-vfs.h"

#include "offload-nic.h"
#include "scenario-schema.h"

#include "ns3/arp-l3-protocol.h"
#include "ns3/simulator.h"

#include <map>
#include <set>

namespace ns3
{

using Json = nlohmann::ordered_json;

void
VfsFeature::Install(const ScenarioConfig& config, ScenarioNetwork& network)
{
    if (config.vfs.empty())
    {
        return;
    }
    const schema::Section& offload = *schema::FindSection("offload");
    Ptr<OverlayNetwork> overlay = network.overlay;
    const std::vector<OverlayNetwork::Vm>& vms = overlay->GetVms();
    // Per VNI, the hosts with a VM on it: a VF's broadcasts go to the others' VTEPs.
    std::map<uint32_t, std::set<uint32_t>> hostsOfVni;
    for (const OverlayNetwork::Vm& vm : vms)
    {
        hostsOfVni[vm.vni].insert(vm.host);
    }
    for (const VfConfig& vc : config.vfs)
    {
        const OverlayNetwork::Vm& vm = overlay->GetVm(vc.vm);
        Ptr<Vtep> vtep = overlay->GetVtep(vm.host);
        Ptr<VirtualSwitch> vswitch = overlay->GetVirtualSwitch(vm.host);
        Ptr<HostMappingTable> master = network.offloadMasters[vm.host];
        Ptr<OffloadNic> pf = DynamicCast<OffloadNic>(vtep->GetNic(vc.uplink));
        NS_ABORT_MSG_IF(!pf || !master, "VF of " << vc.vm << " on a host that does not offload");

        Ptr<NicMappingTable> table = CreateObject<NicMappingTable>();
        schema::ApplyAttributes(offload, &config.offload, table);
        if (const NicMappingTable::SegmentInfo* segment = pf->GetTable()->GetSegment(vm.vni))
        {
            table->SetSegment(vm.vni, *segment); // the VNI's gateway (paragraph 0101)
        }
        Ptr<VirtualFunction> vf = CreateObject<VirtualFunction>();
        vf->Configure(pf, vm.mac, vm.vni, vc.sourcePort.value_or(0), table);
        const uint32_t port = vm.port;
        VirtualSwitch* sw = PeekPointer(vswitch);
        vf->SetReceiveCallback(VirtualFunction::ReceiveCallback(
            [sw, port](Ptr<Packet> f) { sw->DeliverToPort(port, f); }));
        HostMappingTable* hypervisor = PeekPointer(master);
        NicMappingTable* copy = PeekPointer(table);
        vf->SetMissCallback(
            Callback<void, uint32_t, uint64_t>([hypervisor, copy](uint32_t vni, uint64_t mac) {
                hypervisor->NicMiss(copy, vni, mac);
            }));
        VirtualFunction* function = PeekPointer(vf);
        vswitch->SetPassThrough(port, VirtualSwitch::PassThrough([function](Ptr<Packet> f) {
                                    function->Send(f);
                                }));
        vm.vnic->SetMtu(vc.mtu);
        for (uint32_t k = 0; k < vtep->GetUplinks().size(); ++k)
        {
            Ptr<OffloadNic> nic = DynamicCast<OffloadNic>(vtep->GetNic(k));
            nic->AddFunction(vf);
        }
        std::vector<Ipv4Address> flood;
        for (uint32_t h : hostsOfVni[vm.vni])
        {
            if (h != vm.host)
            {
                flood.push_back(overlay->GetVtep(h)->GetLocalAddress());
            }
        }
        pf->SetFloodList(vm.vni, flood);
        for (const SegmentConfig& segment : config.overlay.segments)
        {
            if (segment.vni == vm.vni && segment.group)
            {
                pf->SetFloodGroup(vm.vni, *segment.group); // one copy, the underlay replicates
            }
        }
        // VM power-on: the PF driver's callbacks configure the VF and push its table.
        Simulator::Schedule(vc.at, &HostMappingTable::ConfigureFunction, master, table, vm.vni);

        FastPathResources& hw = network.fastPath.nics;
        ++hw.vfs;
        network.fastPath.functionVms.insert(vc.vm);
        hw.tableEntries += table->GetProvisionedEntries();
        hw.tableMemoryMib += table->GetMemoryBytes() / 1048576.0;
        m_functions.push_back({vm.host, vf, 0});
        // The VM's own ARP queue (ns-3 ArpL3Protocol "Drop": PendingQueueSize, 3 packets,
        // while a request waits): what an ARP timeout costs the VM's flows before they reach
        // its port, so their sent count never sees it.
        uint64_t* dropped = &m_functions.back().arpQueueDropped;
        vm.node->GetObject<ArpL3Protocol>()->TraceConnectWithoutContext(
            "Drop",
            Callback<void, Ptr<const Packet>>([dropped](Ptr<const Packet>) { ++*dropped; }));
    }
}

void
VfsFeature::Collect(const ScenarioConfig& config,
                    const ScenarioNetwork& network,
                    nlohmann::ordered_json& results)
{
    if (config.vfs.empty())
    {
        return;
    }
    Json list = Json::array();
    for (uint32_t i = 0; i < m_functions.size(); ++i)
    {
        const VfConfig& vc = config.vfs[i];
        const Ptr<VirtualFunction>& vf = m_functions[i].vf;
        const VirtualFunction::Counters& c = vf->GetCounters();
        const std::optional<Time> request = vf->GetFirstArpRequest();
        const std::optional<Time> reply = vf->GetFirstArpReply();
        const bool resolved = request && reply && *reply >= *request;
        list.push_back(
            {{"vm", vc.vm.Format()},
             {"host", HostRef(m_functions[i].host).Format()},
             {"uplink", vc.uplink},
             {"vni", vf->GetVni()},
             {"mtu", vc.mtu},
             {"source_port", vc.sourcePort ? Json(*vc.sourcePort) : Json(nullptr)},
             {"table_entries", vf->GetTable()->GetSize()},
             {"tx_frames", c.txFrames},
             {"tx_encapsulated", c.txEncapsulated},
             {"tx_gateway_bound", c.txGatewayBound},
             {"tx_miss_dropped", c.txMissDropped},
             {"tx_flooded", c.txFlooded},
             {"tx_flood_copies", c.txFloodCopies},
             {"rx_delivered", c.rxDelivered},
             {"rx_flooded", c.rxFlooded},
             {"rx_unvalidated", c.rxUnvalidated},
             {"arp",
              {{"requests", c.arpRequests},
               {"replies", c.arpReplies},
               {"to_pf", c.arpToPf},
               {"proxy_replies", c.proxyReplies},
               {"proxy_unresolved", c.proxyUnresolved},
               {"vm_queue_dropped", m_functions[i].arpQueueDropped},
               {"first_request_s", request ? Json(request->GetSeconds()) : Json(nullptr)},
               {"first_reply_s", reply ? Json(reply->GetSeconds()) : Json(nullptr)},
               {"resolution_ms",
                resolved ? Json((*reply - *request).GetNanoSeconds() / 1e6) : Json(nullptr)}}}});
    }
    results["vfs"] = list;
}

std::vector<ResultsField>
VfsFeature::ResultsSections() const
{
    ResultsShape arp = ResultsObject(
        "The VM's ARP through its VF (seed 002 Fig. 15).",
        {{"requests", ResultsNumber("", "ARP requests the VM sent (each to the VNI's VTEPs).")},
         {"replies",
          ResultsNumber("", "ARP replies handed to the VM: validated, or from the ARP agent.")},
         {"to_pf",
          ResultsNumber("",
                        "ARP replies the NIC could not validate (no entry naming their VTEP): "
                        "sent to the PF for learning, not to the VM (paragraph 0125).")},
         {"proxy_replies",
          ResultsNumber("",
                        "Replies the hypervisor's ARP agent sent once the VF's table had the "
                        "entry (offload.arp_proxy, paragraph 0126).")},
         {"proxy_unresolved",
          ResultsNumber("", "Agent replies given up: the entry was not in the table then.")},
         {"vm_queue_dropped",
          ResultsNumber("",
                        "Packets the VM's ARP queue dropped while a request waited (ns-3 "
                        "ArpL3Protocol, 3 pending packets): lost before the VM's port, so in "
                        "app_tx_packets but not in sent of their flows.")},
         {"first_request_s", ResultsNumber("s", "The VM's first ARP request.").Nullable()},
         {"first_reply_s", ResultsNumber("s", "The first ARP reply it got.").Nullable()},
         {"resolution_ms",
          ResultsNumber("ms",
                        "From the first request to the first reply: about the VM's ARP "
                        "timeout (ns-3 ArpCache WaitReplyTimeout, 1 s) when the first reply "
                        "was refused and no agent answers; null: never resolved.")
              .Nullable()}});
    ResultsShape vf = ResultsObject(
        "One VF.",
        {{"vm", ResultsText("The VM.")},
         {"host", ResultsText("Its host.")},
         {"uplink", ResultsNumber("", "The uplink of the PF.")},
         {"vni", ResultsNumber("", "The VF's VNI.")},
         {"mtu", ResultsNumber("bytes", "The VF's MTU.")},
         {"source_port",
          ResultsNumber("", "The VF's outer UDP source port; null: from the inner flow.")
              .Nullable()},
         {"table_entries", ResultsNumber("", "Entries in the VF's table at the end.")},
         {"tx_frames", ResultsNumber("", "Frames the VM sent.")},
         {"tx_encapsulated", ResultsNumber("", "Of them, encapsulated from a table entry.")},
         {"tx_gateway_bound", ResultsNumber("", "Of them, missed and sent to the gateway.")},
         {"tx_miss_dropped", ResultsNumber("", "Of them, missed with no gateway (nic_miss).")},
         {"tx_flooded", ResultsNumber("", "Of them, broadcast or multicast.")},
         {"tx_flood_copies",
          ResultsNumber("", "Tunnel copies of those: one per other VTEP of the VNI.")},
         {"rx_delivered", ResultsNumber("", "Frames handed to the VM.")},
         {"rx_flooded", ResultsNumber("", "Of them, broadcast or multicast of the VNI.")},
         {"rx_unvalidated",
          ResultsNumber("",
                        "Frames for the VM whose source VTEP its table did not confirm: to the "
                        "PF, dropped (vtep_mismatch).")},
         {"arp", arp}});
    return {{"vfs",
             ResultsList(
                 "The SR-IOV virtual functions, in the order of vfs.",
                 "vf index",
                 [](const ScenarioConfig& c) { return std::optional<size_t>(c.vfs.size()); },
                 vf)
                 .AbsentWhen([](const ScenarioConfig& c) {
                     return c.vfs.empty() ? std::string("no vfs") : std::string();
                 })}};
}

} // namespace ns3
