/*
 * Underlay forwarding benchmark: packet-hops per wall second of the leaf-spine fabric alone.
 *
 *            spine0 ... spine{S-1}
 *            /   full mesh     \
 *   leaf0 .. leaf{N-1}  ...  leaf{(R-1)N} .. leaf{RN-1}   (rack r = leaves rN .. rN+N-1)
 *     \    /                     \    /
 *   host0..host{H-1}         hosts of rack R-1      (each host: uplink k to leaf rN+k)
 *
 * Every host sends one UDP flow at a constant packet rate to a random host in another rack,
 * injected directly from its NIC (Ethernet + IPv4 + UDP, no IP stack anywhere), alternating
 * nothing: one flow keeps one uplink and one ECMP path. Same shape and knobs as the plain ns-3
 * baseline in ../shared/bench (leaf-spine-baseline): 1000-byte payloads, traffic from 10 ms to
 * simTime, a cross-rack path is 4 links, so packet_hops = delivered x 4.
 */

#include "fabric-raw-header.h"
#include "leaf-spine-topology.h"

#include "ns3/core-module.h"
#include "ns3/ipv4-header.h"
#include "ns3/network-module.h"
#include "ns3/udp-header.h"

#include <chrono>
#include <cstdio>

using namespace ns3;

namespace
{

/// Benchmark parameters.
struct Parameters
{
    uint32_t spines{4};         //!< spine switches
    uint32_t leafPairs{4};      //!< racks (the baseline's name)
    uint32_t leavesPerRack{2};  //!< leaves of each rack, N
    uint32_t uplinksPerHost{2}; //!< uplinks per host (at most N)
    uint32_t hostsPerRack{16};  //!< hosts per rack
    uint32_t pps{10000};        //!< packets per second per host
    uint32_t payload{1000};     //!< UDP payload bytes
    double simTime{1.0};        //!< traffic stops at this time (s)
    uint32_t seed{1};           //!< RngRun and fabric seed
};

/// One constant-rate flow injected from a host NIC.
class Flow
{
  public:
    Flow(Ptr<FabricNetDevice> nic,
         Ipv4Address src,
         Ipv4Address dst,
         uint16_t sport,
         uint32_t payload)
        : m_nic(nic),
          m_payload(payload)
    {
        Ipv4Header ip;
        ip.SetSource(src);
        ip.SetDestination(dst);
        ip.SetProtocol(17);
        ip.SetTtl(64);
        ip.SetPayloadSize(payload + 8);
        ip.EnableChecksum();
        UdpHeader udp;
        udp.SetSourcePort(sport);
        udp.SetDestinationPort(6081);
        Ptr<Packet> p = Create<Packet>();
        p->AddHeader(udp);
        p->AddHeader(ip);
        m_headerSize = p->CopyData(m_header, sizeof(m_header));
        m_peer = nic->GetPeer()->GetAddress();
    }

    void Start(Time at, Time interval, Time stop)
    {
        m_interval = interval;
        m_stop = stop;
        Simulator::Schedule(at, &Flow::Send, this);
    }

  private:
    void Send()
    {
        Ptr<Packet> p = Create<Packet>(m_payload);
        p->AddHeader(FabricRawHeader(m_header, m_headerSize));
        m_nic->Send(p, m_peer, 0x0800);
        if (Simulator::Now() + m_interval < m_stop)
        {
            Simulator::Schedule(m_interval, &Flow::Send, this);
        }
    }

    Ptr<FabricNetDevice> m_nic;
    Address m_peer;
    uint32_t m_payload;
    uint8_t m_header[28];
    uint32_t m_headerSize{0};
    Time m_interval;
    Time m_stop;
};

uint64_t g_delivered = 0;

void
Deliver(Ptr<FabricNetDevice>, Ptr<Packet>)
{
    ++g_delivered;
}

} // namespace

int
main(int argc, char** argv)
{
    Parameters p;
    CommandLine cmd(__FILE__);
    cmd.AddValue("spines", "spine switches", p.spines);
    cmd.AddValue("leafPairs",
                 "racks (the baseline's name: pairs of leaves by default)",
                 p.leafPairs);
    cmd.AddValue("leavesPerRack", "leaves of each rack", p.leavesPerRack);
    cmd.AddValue("uplinksPerHost", "uplinks per host (at most leavesPerRack)", p.uplinksPerHost);
    cmd.AddValue("hostsPerRack", "hosts per rack", p.hostsPerRack);
    cmd.AddValue("hostsPerPair", "alias of hostsPerRack (baseline's name)", p.hostsPerRack);
    cmd.AddValue("pps", "packets per second per host", p.pps);
    cmd.AddValue("payload", "UDP payload bytes", p.payload);
    cmd.AddValue("simTime", "traffic stops at this time (s)", p.simTime);
    cmd.AddValue("seed", "RngRun and fabric seed", p.seed);
    cmd.Parse(argc, argv);
    RngSeedManager::SetRun(p.seed);

    auto t0 = std::chrono::steady_clock::now();
    FabricConfig cfg;
    cfg.spines = p.spines;
    cfg.racks = p.leafPairs;
    cfg.leavesPerRack = p.leavesPerRack;
    cfg.uplinksPerHost = p.uplinksPerHost;
    cfg.hostsPerRack = p.hostsPerRack;
    Ptr<LeafSpineFabric> fabric = CreateObject<LeafSpineFabric>(cfg, p.seed);
    fabric->AssignStreams(0);
    const uint32_t hosts = fabric->GetNumHosts();
    for (uint32_t h = 0; h < hosts; ++h)
    {
        for (uint32_t k = 0; k < cfg.uplinksPerHost; ++k)
        {
            fabric->GetHostUplink(h, k)->SetFrameHandler(MakeCallback(&Deliver));
        }
    }
    Ptr<UniformRandomVariable> rv = CreateObject<UniformRandomVariable>();
    rv->SetStream(1000000);
    std::vector<std::unique_ptr<Flow>> flows;
    const Time interval = Seconds(1.0 / p.pps);
    for (uint32_t h = 0; h < hosts; ++h)
    {
        uint32_t dst;
        do
        {
            dst = rv->GetInteger(0, hosts - 1);
        } while (dst / cfg.hostsPerRack == h / cfg.hostsPerRack);
        flows.push_back(std::make_unique<Flow>(fabric->GetHostUplink(h, h % cfg.uplinksPerHost),
                                               fabric->GetVtepAddress(h),
                                               fabric->GetVtepAddress(dst),
                                               static_cast<uint16_t>(49152 + h),
                                               p.payload));
        flows.back()->Start(Seconds(0.01), interval, Seconds(p.simTime));
    }
    auto t1 = std::chrono::steady_clock::now();
    Simulator::Stop(Seconds(p.simTime + 0.01));
    Simulator::Run();
    auto t2 = std::chrono::steady_clock::now();
    const double build = std::chrono::duration<double>(t1 - t0).count();
    const double run = std::chrono::duration<double>(t2 - t1).count();
    const uint64_t hops = g_delivered * 4;
    std::printf("hosts=%u build_s=%.3f run_s=%.3f rx_pkts=%lu packet_hops=%lu hops_per_s=%.0f\n",
                hosts,
                build,
                run,
                static_cast<unsigned long>(g_delivered),
                static_cast<unsigned long>(hops),
                hops / run);
    flows.clear();
    Simulator::Destroy();
    return 0;
}
