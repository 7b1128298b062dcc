#include "management-network.h"

#include "ns3/abort.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4.h"
#include "ns3/point-to-point-helper.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(ManagementNetwork);

TypeId
ManagementNetwork::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::ManagementNetwork")
            .SetParent<Object>()
            .SetGroupName("OverlayFabric")
            .AddConstructor<ManagementNetwork>()
            .AddAttribute("DataRate",
                          "Rate of each host's management link.",
                          DataRateValue(DataRate("1Gbps")),
                          MakeDataRateAccessor(&ManagementNetwork::m_rate),
                          MakeDataRateChecker())
            .AddAttribute("Delay",
                          "One-way propagation delay between a host and the controller.",
                          TimeValue(MicroSeconds(100)),
                          MakeTimeAccessor(&ManagementNetwork::m_delay),
                          MakeTimeChecker(Time(0)));
    return tid;
}

void
ManagementNetwork::DoDispose()
{
    m_controller = nullptr;
    m_hosts.clear();
    Object::DoDispose();
}

void
ManagementNetwork::Build(const std::vector<uint32_t>& hosts)
{
    m_controller = CreateObject<Node>();
    InternetStackHelper stack;
    stack.Install(m_controller);
    PointToPointHelper link;
    link.SetDeviceAttribute("DataRate", DataRateValue(m_rate));
    link.SetChannelAttribute("Delay", TimeValue(m_delay));
    for (uint32_t h : hosts)
    {
        NS_ABORT_MSG_IF(h >= 16384, "management link of host " << h << " (at most 16384 hosts)");
        NS_ABORT_MSG_IF(m_slotOfHost.count(h) != 0, "host " << h << " listed twice");
        Ptr<Node> node = CreateObject<Node>();
        stack.Install(node);
        NetDeviceContainer devices = link.Install(m_controller, node);
        const uint32_t base = (172u << 24) | (16u << 16) | (h / 64) << 8 | (h % 64) * 4;
        // By hand, as the VMs' addresses: Ipv4AddressHelper would also add a queue disc and
        // keep a process-wide registry of allocated addresses across runs.
        const Ipv4Address ends[2] = {Ipv4Address(base + 1), Ipv4Address(base + 2)};
        for (uint32_t end = 0; end < 2; ++end)
        {
            Ptr<Ipv4> ipv4 = devices.Get(end)->GetNode()->GetObject<Ipv4>();
            const int32_t ifIndex = ipv4->AddInterface(devices.Get(end));
            ipv4->AddAddress(ifIndex, Ipv4InterfaceAddress(ends[end], Ipv4Mask("255.255.255.252")));
            ipv4->SetUp(ifIndex);
        }
        m_slotOfHost[h] = m_hosts.size();
        m_hosts.push_back(node);
        m_controllerAddresses.push_back(ends[0]);
        m_hostAddresses.push_back(ends[1]);
    }
}

Ptr<Node>
ManagementNetwork::GetControllerNode() const
{
    return m_controller;
}

Ptr<Node>
ManagementNetwork::GetHostNode(uint32_t h) const
{
    return m_hosts.at(m_slotOfHost.at(h));
}

Ipv4Address
ManagementNetwork::GetControllerAddress(uint32_t h) const
{
    return m_controllerAddresses.at(m_slotOfHost.at(h));
}

Ipv4Address
ManagementNetwork::GetHostAddress(uint32_t h) const
{
    return m_hostAddresses.at(m_slotOfHost.at(h));
}

} // namespace ns3
