// Builds a small leaf-spine fabric with the installed FabricHelper, sends one IPv4 packet from
// host0 to host1 (other rack: host - leaf - spine - leaf - host) and prints when it arrived.
#include "ns3/core-module.h"
#include "ns3/fabric-helper.h"
#include "ns3/ipv4-header.h"
#include "ns3/leaf-spine-topology.h"

#include <iostream>

using namespace ns3;

int
main(int argc, char* argv[])
{
    FabricHelper fabricHelper;
    fabricHelper.SetTopology(1, 2, 1, 1); // 1 spine, 2 racks of 1 host, 1 uplink each
    FabricContainer fabric = fabricHelper.Install(1);
    Ptr<LeafSpineFabric> underlay = fabric.fabric;

    Time arrival = Time::Max();
    underlay->GetHostUplink(1, 0)->SetFrameHandler(FabricNetDevice::FrameHandler(
        [&arrival](Ptr<FabricNetDevice>, Ptr<Packet>) { arrival = Simulator::Now(); }));

    Ptr<Packet> packet = Create<Packet>(1000);
    Ipv4Header ip;
    ip.SetSource(underlay->GetVtepAddress(0));
    ip.SetDestination(underlay->GetVtepAddress(1));
    ip.SetProtocol(17);
    ip.SetTtl(64);
    ip.SetPayloadSize(packet->GetSize());
    ip.EnableChecksum();
    packet->AddHeader(ip);
    Ptr<FabricNetDevice> nic = underlay->GetHostUplink(0, 0);
    nic->Send(packet, nic->GetPeer()->GetAddress(), 0x0800);

    Simulator::Run();
    if (arrival == Time::Max())
    {
        std::cout << "install-consumer: the packet did not arrive\n";
        return 1;
    }
    std::cout << "install-consumer: " << fabric.hosts.GetN() << " hosts, "
              << underlay->GetLinkNames().size() << " links, packet arrived after "
              << arrival.GetNanoSeconds() << " ns\n";
    Simulator::Destroy();
    return 0;
}
