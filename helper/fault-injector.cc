#include "fault-injector.h"

#include "fabric-net-device.h"
#include "leaf-spine-topology.h"
#include "offload-nic.h"
#include "overlay-network.h"
#include "probe-tag.h"
#include "uplink-selector.h"
#include "vtep.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FaultInjector");
NS_OBJECT_ENSURE_REGISTERED(FaultInjector);

TypeId
FaultInjector::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::FaultInjector")
            .SetParent<Object>()
            .SetGroupName("OverlayFabric")
            .AddConstructor<FaultInjector>()
            .AddTraceSource("FaultStarted",
                            "A fault was applied (index in the scenario).",
                            MakeTraceSourceAccessor(&FaultInjector::m_faultStarted),
                            "ns3::FaultInjector::FaultTracedCallback")
            .AddTraceSource("FaultEnded",
                            "A fault was removed (index in the scenario).",
                            MakeTraceSourceAccessor(&FaultInjector::m_faultEnded),
                            "ns3::FaultInjector::FaultTracedCallback")
            .AddTraceSource("FaultHit",
                            "A frame other than an uplink echo met an active fault: accepted "
                            "onto a faulted link direction, or dropped by the fault.",
                            MakeTraceSourceAccessor(&FaultInjector::m_faultHit),
                            "ns3::FaultInjector::FaultHitTracedCallback")
            .AddTraceSource("ElementCrossed",
                            "A frame was accepted onto a link direction a fault of the scenario "
                            "acts on, while that fault is not active (what was on its path).",
                            MakeTraceSourceAccessor(&FaultInjector::m_elementCrossed),
                            "ns3::FaultInjector::ElementCrossedTracedCallback");
    return tid;
}

void
FaultInjector::DoDispose()
{
    m_fabric = nullptr;
    m_overlay = nullptr;
    Object::DoDispose();
}

void
FaultInjector::Install(const std::vector<FaultConfig>& faults,
                       Ptr<LeafSpineFabric> fabric,
                       Ptr<OverlayNetwork> overlay)
{
    m_faults = faults;
    m_fabric = fabric;
    m_overlay = overlay;
    m_timelines.assign(faults.size(), Timeline{});
    m_active.assign(faults.size(), false);
    m_started.assign(faults.size(), false);
    m_requestHits.assign(faults.size(), ProbeHits{});
    m_replyHits.assign(faults.size(), ProbeHits{});
    m_healthyRequests.assign(faults.size(), ProbeHits{});
    for (uint32_t i = 0; i < faults.size(); ++i)
    {
        const FaultConfig& f = faults[i];
        Simulator::Schedule(f.at, &FaultInjector::Apply, this, i, true);
        if (f.end)
        {
            Simulator::Schedule(*f.end, &FaultInjector::Apply, this, i, false);
        }
        // The transmit sides the fault acts on: a carrier is the whole link's.
        auto [first, second] = fabric->GetLinkEnds(f.target);
        std::vector<Ptr<FabricNetDevice>> devices;
        if (f.kind == FaultKind::LINK_DOWN || f.direction != FaultDirection::REVERSE)
        {
            devices.push_back(first);
        }
        // A NIC's failure is on the host's side of its uplink, transmit only.
        if (f.kind != FaultKind::NIC_ENCAP_FAILURE &&
            (f.kind == FaultKind::LINK_DOWN || f.direction != FaultDirection::FORWARD))
        {
            devices.push_back(second);
        }
        const DropReason own = f.kind == FaultKind::LINK_DOWN     ? DropReason::LINK_DOWN
                               : f.kind == FaultKind::SILENT_DROP ? DropReason::SILENT_DROP
                                                                  : DropReason::COUNT;
        for (const Ptr<FabricNetDevice>& d : devices)
        {
            d->TraceConnectWithoutContext(
                "WireTx",
                MakeBoundCallback(
                    +[](FaultInjector* self, uint32_t index, Ptr<const Packet> frame) {
                        self->FrameAtFault(index, frame, false);
                    },
                    this,
                    i));
            if (own == DropReason::COUNT)
            {
                continue; // an added delay drops nothing
            }
            d->TraceConnectWithoutContext("Drop",
                                          MakeBoundCallback(
                                              +[](FaultInjector* self,
                                                  uint32_t index,
                                                  DropReason reason,
                                                  Ptr<const Packet> frame,
                                                  DropReason why) {
                                                  if (why == reason)
                                                  {
                                                      self->FrameAtFault(index, frame, true);
                                                  }
                                              },
                                              this,
                                              i,
                                              own));
        }
    }
    if (faults.empty())
    {
        return;
    }
    for (uint32_t h = 0; h < overlay->GetHostCount(); ++h)
    {
        Ptr<UplinkSelector> selector = overlay->GetVtep(h)->GetUplinkSelector();
        selector->TraceConnectWithoutContext(
            "CandidatesChanged",
            MakeBoundCallback(
                +[](FaultInjector* self, uint32_t host, uint32_t, uint64_t, uint64_t) {
                    self->UplinkChoiceChanged(host);
                },
                this,
                h));
        selector->TraceConnectWithoutContext(
            "PathsChanged",
            MakeBoundCallback(
                +[](FaultInjector* self, uint32_t host, uint32_t, uint32_t, uint64_t, uint64_t) {
                    self->UplinkChoiceChanged(host);
                },
                this,
                h));
        selector->TraceConnectWithoutContext(
            "ActiveChanged",
            MakeBoundCallback(
                +[](FaultInjector* self, uint32_t host, uint32_t, uint32_t, uint32_t) {
                    self->UplinkChoiceChanged(host);
                },
                this,
                h));
    }
    fabric->TraceConnectWithoutContext("RoutesConverged",
                                       MakeCallback(&FaultInjector::RoutesConverged, this));
}

void
FaultInjector::Apply(uint32_t index, bool active)
{
    const FaultConfig& f = m_faults[index];
    Timeline& t = m_timelines[index];
    Time now = Simulator::Now();
    NS_LOG_INFO(now.As(Time::MS) << " fault " << index << " " << ToString(f.kind) << " on "
                                 << f.target << (active ? " starts" : " ends"));
    if (active)
    {
        t.at = now;
        m_active[index] = true;
        m_started[index] = true;
        m_faultStarted(index);
    }
    else
    {
        t.end = now;
    }
    switch (f.kind)
    {
    case FaultKind::LINK_DOWN:
        m_fabric->SetLinkCarrier(f.target, !active);
        break;
    case FaultKind::SILENT_DROP:
        m_fabric->SetSilentDrop(f.target, f.direction, active ? f.dropFraction : 0.0);
        break;
    case FaultKind::ADDED_DELAY:
        m_fabric->SetAddedDelay(f.target, f.direction, active ? f.delay : Time(0));
        break;
    case FaultKind::NIC_ENCAP_FAILURE:
        FailNic(index, active);
        break;
    }
    if (!active)
    {
        // After the fabric is healed: frames it drops while going down still met the fault.
        m_active[index] = false;
        m_faultEnded(index);
    }
}

void
FaultInjector::FailNic(uint32_t index, bool failed)
{
    const LinkRef& target = m_faults[index].target;
    // The offload feature puts its NICs on the uplinks after the faults are installed.
    Ptr<OffloadNic> nic =
        DynamicCast<OffloadNic>(m_overlay->GetVtep(target.GetFirst())->GetNic(target.GetSecond()));
    NS_ABORT_MSG_IF(!nic, "nic-encap-failure on a plain NIC (validation refuses it)");
    if (failed && !m_nicTraced.count(index))
    {
        m_nicTraced.insert(index);
        nic->TraceConnectWithoutContext(
            "Drop",
            MakeBoundCallback(
                +[](FaultInjector* self, uint32_t i, Ptr<const Packet> frame, DropReason why) {
                    if (why == DropReason::NIC_ENCAP_FAILED)
                    {
                        self->FrameAtFault(i, frame, true);
                    }
                },
                this,
                index));
    }
    nic->SetEncapFailed(failed);
}

void
FaultInjector::FrameAtFault(uint32_t index, Ptr<const Packet> frame, bool dropped)
{
    if (!m_active[index])
    {
        // Only routing reacts to a fault (a link-down) by leaving flows and echo streams without
        // a path: remember what was on the link while it was healthy.
        if (dropped || m_faults[index].kind != FaultKind::LINK_DOWN)
        {
            return;
        }
        ProbeTag probe;
        if (frame->PeekPacketTag(probe))
        {
            if (!probe.IsReply())
            {
                uint64_t& seq = m_healthyRequests[index][probe.GetStreamKey()];
                seq = std::max(seq, probe.GetSeq());
            }
            return;
        }
        m_elementCrossed(index, frame);
        return;
    }
    ProbeTag probe;
    if (frame->PeekPacketTag(probe))
    {
        ProbeHits& hits = probe.IsReply() ? m_replyHits[index] : m_requestHits[index];
        auto [it, inserted] = hits.emplace(probe.GetStreamKey(), probe.GetSeq());
        if (!inserted)
        {
            it->second = std::max(it->second, probe.GetSeq());
        }
        return;
    }
    m_faultHit(index, frame, dropped);
}

void
FaultInjector::UplinkStatusChanged(uint32_t host,
                                   uint32_t vtep,
                                   uint32_t tunnel,
                                   uint32_t uplink,
                                   uint32_t path,
                                   Status status,
                                   int64_t highestReplied)
{
    StatusChange change{Simulator::Now(), host, tunnel, uplink, path, status, {}, {}};
    if (change.IsAlarm())
    {
        const uint64_t key = ProbeTag::StreamKey(vtep,
                                                 tunnel,
                                                 static_cast<uint8_t>(uplink),
                                                 static_cast<uint8_t>(path));
        // A DOWN is made of the echoes after the highest one answered; a DEGRADED of answered
        // ones, so of any echo that met the fault.
        const int64_t after = status == Status::DOWN ? highestReplied : -1;
        auto met = [&](const ProbeHits& hits) {
            auto it = hits.find(key);
            return it != hits.end() && static_cast<int64_t>(it->second) > after;
        };
        // A link-down also breaks the streams on its path when it went: they crossed it while
        // it was healthy and nothing they sent since has been answered (their echoes die where
        // routing has no path left, or the DOWN would not have come).
        auto onDownedLink = [&](uint32_t k) {
            if (m_faults[k].kind != FaultKind::LINK_DOWN || !m_active[k])
            {
                return false;
            }
            auto it = m_healthyRequests[k].find(key);
            return it != m_healthyRequests[k].end() &&
                   highestReplied <= static_cast<int64_t>(it->second);
        };
        for (uint32_t k = 0; k < m_faults.size(); ++k)
        {
            if (met(m_requestHits[k]) || (status == Status::DOWN && onDownedLink(k)))
            {
                change.onPath.push_back(k);
            }
            else if (met(m_replyHits[k]))
            {
                change.onReplyPath.push_back(k);
            }
        }
    }
    m_statusChanges.push_back(std::move(change));
}

void
FaultInjector::UplinkChoiceChanged(uint32_t host)
{
    m_choiceChanges.push_back({Simulator::Now(), host});
}

void
FaultInjector::RoutesConverged(Time when)
{
    for (uint32_t i = 0; i < m_faults.size(); ++i)
    {
        if (m_faults[i].kind == FaultKind::LINK_DOWN && m_started[i] &&
            !m_timelines[i].routesConverged && when >= m_timelines[i].at)
        {
            m_timelines[i].routesConverged = when;
        }
    }
}

} // namespace ns3
