#include "overlay-network.h"

#include "distributed-router-stage.h"
#include "fabric-net-device.h"
#include "leaf-spine-topology.h"
#include "scenario-schema.h"
#include "uplink-selector.h"
#include "virtual-switch.h"
#include "vnic-net-device.h"
#include "vtep.h"

#include "ns3/abort.h"
#include "ns3/arp-l3-protocol.h"
#include "ns3/enum.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/ipv4.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <set>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(OverlayNetwork);

TypeId
OverlayNetwork::GetTypeId()
{
    static TypeId tid = TypeId("ns3::OverlayNetwork")
                            .SetParent<Object>()
                            .SetGroupName("OverlayFabric")
                            .AddConstructor<OverlayNetwork>();
    return tid;
}

void
OverlayNetwork::DoDispose()
{
    m_vswitches.clear();
    m_vteps.clear();
    m_vms.clear();
    m_routers.clear();
    Object::DoDispose();
}

void
OverlayNetwork::Build(const OverlayConfig& config, Ptr<LeafSpineFabric> fabric)
{
    uint32_t hosts = fabric->GetNumHosts();
    for (uint32_t h = 0; h < hosts; ++h)
    {
        Ptr<Vtep> vtep = m_vtepFactory.Create<Vtep>();
        vtep->SetLocalAddress(fabric->GetVtepAddress(h));
        Ptr<UplinkSelector> selector = m_uplinkSelectorFactory.Create<UplinkSelector>();
        // encap, uplink_policy and preferred_uplink, as the schema table maps them.
        schema::ApplyAttributes(*schema::FindSection("overlay"), &config, vtep);
        schema::ApplyAttributes(*schema::FindSection("overlay"), &config, selector);
        uint32_t uplinks = fabric->GetConfig().uplinksPerHost;
        for (uint32_t k = 0; k < uplinks; ++k)
        {
            vtep->AddUplink(fabric->GetHostUplink(h, k));
        }
        vtep->SetUplinkSelector(selector);
        Ptr<VirtualSwitch> vswitch = m_virtualSwitchFactory.Create<VirtualSwitch>();
        vswitch->SetVtep(vtep);
        vtep->SetVirtualSwitch(vswitch);
        fabric->GetHostNode(h)->AggregateObject(vtep);
        fabric->GetHostNode(h)->AggregateObject(vswitch);
        m_vteps.push_back(vtep);
        m_vswitches.push_back(vswitch);
    }

    InternetStackHelper stack;
    for (uint32_t s = 0; s < config.segments.size(); ++s)
    {
        const SegmentConfig& seg = config.segments[s];
        uint32_t subnet = (10u << 24) | ((128u + s) << 16);
        std::vector<uint32_t> members;
        for (uint32_t j = 0; j < seg.vms.size(); ++j)
        {
            const VmRef& name = seg.vms[j];
            uint32_t host = name.GetHostIndex();
            Vm vm;
            vm.name = name;
            vm.host = host;
            vm.vni = seg.vni;
            vm.node = CreateObject<Node>();
            stack.Install(vm.node);
            // The ARP request goes out as a real packet and the virtual switch answers it at
            // once (ARP suppression); ns-3's default 0-10 ms request jitter, meant for shared
            // broadcast media, would only add a random start-up delay and pending-queue drops.
            vm.node->GetObject<ArpL3Protocol>()->SetAttribute(
                "RequestJitter",
                StringValue("ns3::ConstantRandomVariable[Constant=0.0]"));
            vm.vnic = CreateObject<VnicNetDevice>();
            // Locally administered MAC from (segment, member): the same in every run.
            uint8_t mac[6] = {0x02,
                              static_cast<uint8_t>(s >> 8),
                              static_cast<uint8_t>(s),
                              static_cast<uint8_t>(j >> 16),
                              static_cast<uint8_t>(j >> 8),
                              static_cast<uint8_t>(j)};
            vm.mac.CopyFrom(mac);
            vm.vnic->SetAddress(vm.mac);
            vm.node->AddDevice(vm.vnic);
            vm.ip = Ipv4Address(subnet + j + 1);
            // Assign the address by hand: Ipv4AddressHelper would also install a queue disc,
            // which the vNIC (a function call into the vswitch) does not have.
            Ptr<Ipv4> ipv4 = vm.node->GetObject<Ipv4>();
            int32_t ifIndex = ipv4->AddInterface(vm.vnic);
            ipv4->AddAddress(ifIndex, Ipv4InterfaceAddress(vm.ip, Ipv4Mask("255.255.0.0")));
            ipv4->SetUp(ifIndex);
            if (config.RouterOf(s) >= 0)
            {
                // Other subnets through the segment's gateway, the distributed router.
                Ipv4StaticRoutingHelper routing;
                routing.GetStaticRouting(ipv4)->SetDefaultRoute(GatewayOf(s), ifIndex);
            }
            vm.port = m_vswitches[host]->AddPort(vm.vnic, seg.vni);
            m_vmIndex[name] = m_vms.size();
            members.push_back(m_vms.size());
            m_vms.push_back(vm);
        }
        // Controller programming: each host taking part in the segment learns every member.
        std::set<uint32_t> hostsInSegment;
        for (uint32_t i : members)
        {
            hostsInSegment.insert(m_vms[i].host);
        }
        for (uint32_t h : hostsInSegment)
        {
            for (uint32_t i : members)
            {
                const Vm& vm = m_vms[i];
                m_vswitches[h]->AddArpEntry(seg.vni, vm.ip, vm.mac);
                if (vm.host != h)
                {
                    uint32_t tunnel = m_vteps[h]->AddTunnel(m_vteps[vm.host]->GetLocalAddress());
                    m_vswitches[h]->AddRemoteEntry(seg.vni, vm.mac, tunnel);
                }
            }
        }
    }
    BuildRouters(config);
}

Ipv4Address
OverlayNetwork::GatewayOf(uint32_t segment)
{
    return Ipv4Address(((10u << 24) | ((128u + segment) << 16)) + 0xfffe);
}

Mac48Address
OverlayNetwork::RouterMacOf(uint32_t router)
{
    const uint32_t low = 0x4452 + router;
    const uint8_t mac[6] = {0x02,
                            0x50,
                            0x56,
                            static_cast<uint8_t>(0x56 + (low >> 16)),
                            static_cast<uint8_t>(low >> 8),
                            static_cast<uint8_t>(low)};
    Mac48Address m;
    m.CopyFrom(mac);
    return m;
}

void
OverlayNetwork::BuildRouters(const OverlayConfig& config)
{
    std::map<uint32_t, uint32_t> segmentOfVni;
    for (uint32_t s = 0; s < config.segments.size(); ++s)
    {
        segmentOfVni[config.segments[s].vni] = s;
    }
    for (uint32_t r = 0; r < config.routers.size(); ++r)
    {
        const Mac48Address routerMac = RouterMacOf(r);
        // The router's VMs, and the hosts they are on: each host gets an instance.
        std::vector<uint32_t> vms;
        std::set<uint32_t> hosts;
        for (uint32_t vni : config.routers[r].segments)
        {
            for (uint32_t i = 0; i < m_vms.size(); ++i)
            {
                if (m_vms[i].vni == vni)
                {
                    vms.push_back(i);
                    hosts.insert(m_vms[i].host);
                }
            }
        }
        for (uint32_t h : hosts)
        {
            Ptr<DistributedRouterStage> stage = CreateObject<DistributedRouterStage>();
            stage->SetRouterMac(routerMac);
            for (uint32_t vni : config.routers[r].segments)
            {
                const Ipv4Address gateway = GatewayOf(segmentOfVni.at(vni));
                stage->AddInterface(vni, gateway);
                // A VM's ARP request for its gateway is answered with the router MAC.
                m_vswitches[h]->AddArpEntry(vni, gateway, routerMac);
            }
            // Controller programming, as for a segment: every VM of the router's segments is a
            // neighbour, and those on other hosts are reached through a tunnel to their host.
            for (uint32_t i : vms)
            {
                const Vm& vm = m_vms[i];
                stage->AddNeighbor(vm.vni, vm.ip, vm.mac);
                if (vm.host != h)
                {
                    uint32_t tunnel = m_vteps[h]->AddTunnel(m_vteps[vm.host]->GetLocalAddress());
                    m_vswitches[h]->AddRemoteEntry(vm.vni, vm.mac, tunnel);
                }
                else
                {
                    m_vswitches[h]->InsertStage(vm.port, stage);
                }
            }
            m_routers.push_back({r, h, stage});
        }
    }
}

const OverlayNetwork::Vm&
OverlayNetwork::GetVm(const VmRef& name) const
{
    auto it = m_vmIndex.find(name);
    NS_ABORT_MSG_IF(it == m_vmIndex.end(), "unknown VM " << name);
    return m_vms[it->second];
}

} // namespace ns3
