#include "feature-chains.h"

#include "flow-tag.h"
#include "port-stage.h"
#include "results-json.h"
#include "scenario-schema.h"

#include "ns3/data-rate.h"
#include "ns3/double.h"
#include "ns3/ipv4-address.h"
#include "ns3/pcap-file.h"
#include "ns3/trace-helper.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

namespace ns3
{

namespace
{

using Json = nlohmann::ordered_json;
using results_json::OptMsSince;
using results_json::OptSec;
using results_json::Sec;

/// The names of ServiceProxy::Cause in results.
const char*
ProxyCauseName(uint8_t cause)
{
    switch (cause)
    {
    case ServiceProxy::CAUSE_QUERIES_MISSED:
        return "queries-missed";
    case ServiceProxy::CAUSE_DEAD_TIME:
        return "dead-time";
    case ServiceProxy::CAUSE_INTERFACE_DOWN:
        return "interface-down";
    case ServiceProxy::CAUSE_ANSWER:
        return "answer";
    case ServiceProxy::CAUSE_INTERFACE_UP:
        return "interface-up";
    }
    return "unknown";
}

/// The names of ServiceController::Mechanism in results.
const char*
MechanismName(uint8_t mechanism)
{
    switch (mechanism)
    {
    case ServiceController::PROXY:
        return "proxy";
    case ServiceController::HEARTBEAT:
        return "heartbeat";
    case ServiceController::ADMIN:
        return "admin";
    }
    return "unknown";
}

/// The names of ServiceClassifier::Cause in results.
const char*
ClassifierCauseName(uint8_t cause)
{
    return cause == ServiceClassifier::CAUSE_REFLECTION ? "reflection" : "controller";
}

/// The SVM id the model uses for svms[i]: i + 1 (0 is no SVM in the control messages).
uint32_t
SvmId(uint32_t index)
{
    return index + 1;
}

/// The chain id (SCID) of chains[i]: i + 1.
uint32_t
ChainId(uint32_t index)
{
    return index + 1;
}

/// Trace sink writing a frame to a capture.
void
WriteFrame(Ptr<PcapFileWrapper> file, Ptr<const Packet> frame)
{
    file->Write(Simulator::Now(), frame);
}

/// \return "spi<N>", the key of a path in results
std::string
PathKey(uint32_t spi)
{
    return fmt::format("spi{}", spi);
}

} // namespace

void
ChainsFeature::Install(const ScenarioConfig& config, ScenarioNetwork& network)
{
    if (config.chains.empty())
    {
        return;
    }
    m_config = &config;
    m_ledger = network.ledger.get();
    Ptr<OverlayNetwork> overlay = network.overlay;
    const uint32_t hosts = overlay->GetHostCount();
    for (uint32_t i = 0; i < config.traffic.size(); ++i)
    {
        m_chainOfFlow.push_back(ChainOfFlow(config, i));
    }
    m_dropsOfFlow.resize(config.traffic.size());
    // A plane on every host with an SVM or a chain's source VM: the hosts in the service plane.
    std::vector<bool> takesPart(hosts, false);
    for (const SvmConfig& svm : config.svms)
    {
        takesPart[svm.host.GetIndex()] = true;
    }
    for (uint32_t i = 0; i < config.traffic.size(); ++i)
    {
        if (m_chainOfFlow[i] >= 0)
        {
            takesPart[config.traffic[i].from.GetHostIndex()] = true;
        }
    }
    m_planes.assign(hosts, nullptr);
    m_classifiers.assign(hosts, nullptr);
    for (uint32_t h = 0; h < hosts; ++h)
    {
        if (!takesPart[h])
        {
            continue;
        }
        Ptr<ServicePlane> plane = CreateObject<ServicePlane>();
        plane->Attach(overlay->GetVirtualSwitch(h), overlay->GetVtep(h));
        plane->TraceConnectWithoutContext("Drop", MakeCallback(&FlowLedger::Drop, m_ledger));
        plane->TraceConnectWithoutContext("Drop", MakeCallback(&ChainsFeature::Dropped, this));
        plane->TraceConnectWithoutContext("Delivered",
                                          MakeCallback(&ChainsFeature::Delivered, this));
        // The classifier's own drops (no UP path) are the switch's.
        overlay->GetVirtualSwitch(h)->TraceConnectWithoutContext(
            "Drop",
            MakeCallback(&ChainsFeature::Dropped, this));
        m_planes[h] = plane;
    }
    for (uint32_t i = 0; i < config.svms.size(); ++i)
    {
        BuildSvm(config, network, i);
    }
    BuildPaths(config, network);
    BuildClassifiers(config, network);
    if (config.servicePlane.controller)
    {
        BuildControl(config, network);
    }
    ScheduleFailures(config);
    EnablePcap(config, network);
    for (Svm& svm : m_svms)
    {
        svm.proxy->Start();
    }
}

void
ChainsFeature::BuildSvm(const ScenarioConfig& config, ScenarioNetwork& network, uint32_t i)
{
    const SvmConfig& c = config.svms[i];
    Svm svm;
    svm.host = c.host.GetIndex();
    svm.node = CreateObject<Node>();
    svm.vnic = CreateObject<VnicNetDevice>();
    // Locally administered, 02:53:56:56 ("SVV") + the SVM's index: the same in every run.
    uint8_t mac[6] =
        {0x02, 0x53, 0x56, 0x56, static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)};
    Mac48Address address;
    address.CopyFrom(mac);
    svm.vnic->SetAddress(address);
    svm.node->AddDevice(svm.vnic);
    Ptr<VirtualSwitch> vswitch = network.overlay->GetVirtualSwitch(svm.host);
    const uint32_t port = vswitch->AddPort(svm.vnic, SERVICE_VNI);

    svm.function = CreateObject<ServiceFunction>();
    schema::ApplyAttributes(*schema::FindSection("svms"), &c, svm.function);
    svm.function->SetAttribute(
        "NatAddress",
        Ipv4AddressValue(Ipv4Address((10u << 24) | (255u << 16) | (255u << 8) | (i + 1))));
    if (c.function == SvmFunction::FIREWALL)
    {
        svm.function->AddFirewallRule(0, c.blockPort);
    }
    svm.function->SetVnic(svm.vnic);
    network.nextStream += svm.function->AssignStreams(network.nextStream);
    svm.node->AddApplication(svm.function);
    svm.function->TraceConnectWithoutContext("Drop", MakeCallback(&FlowLedger::Drop, m_ledger));
    svm.function->TraceConnectWithoutContext("Drop", MakeCallback(&ChainsFeature::Dropped, this));
    svm.function->TraceConnectWithoutContext("Hold",
                                             MakeCallback(&FlowLedger::ServiceHold, m_ledger));
    svm.vnic->TraceConnectWithoutContext("Drop", MakeCallback(&FlowLedger::Drop, m_ledger));
    svm.vnic->TraceConnectWithoutContext("Drop", MakeCallback(&ChainsFeature::Dropped, this));

    svm.proxy = CreateObject<ServiceProxy>();
    schema::ApplyAttributes(*schema::FindSection("service_plane"), &config.servicePlane, svm.proxy);
    svm.proxy->Attach(m_planes[svm.host], vswitch, port, svm.vnic, SvmId(i));
    vswitch->InsertStage(port, svm.proxy, 0);
    svm.proxy->TraceConnectWithoutContext("Status",
                                          MakeCallback(&ChainsFeature::ProxyStatus, this));
    m_svms.push_back(svm);
}

void
ChainsFeature::BuildPaths(const ScenarioConfig& config, ScenarioNetwork& network)
{
    Ptr<OverlayNetwork> overlay = network.overlay;
    std::map<std::string, uint32_t> svmOfName;
    for (uint32_t i = 0; i < config.svms.size(); ++i)
    {
        svmOfName[config.svms[i].name] = i;
    }
    // The source hosts of each chain's flows: their classifiers hand packets to its first SVMs.
    std::vector<std::set<uint32_t>> sources(config.chains.size());
    for (uint32_t i = 0; i < config.traffic.size(); ++i)
    {
        if (m_chainOfFlow[i] >= 0)
        {
            sources[m_chainOfFlow[i]].insert(config.traffic[i].from.GetHostIndex());
        }
    }
    // Host h learns hop (spi, si): the SVM's proxy if it runs there, else the tunnel to its host
    // (and that host a tunnel back: every tunnel has both ends, as monitoring expects).
    auto addHop = [&](uint32_t h, uint32_t spi, uint8_t si, uint32_t svm) {
        if (h == m_svms[svm].host)
        {
            m_planes[h]->AddLocalHop(spi, si, m_svms[svm].proxy);
            return;
        }
        m_planes[h]->AddRemoteHop(spi, si, overlay->GetVtep(m_svms[svm].host)->GetLocalAddress());
        overlay->GetVtep(m_svms[svm].host)->AddTunnel(overlay->GetVtep(h)->GetLocalAddress());
    };
    // Each plane knows only the hops it hands packets to: the SVM's own host, the host of the SVM
    // before it (or the chain's source hosts for the first), and the path's end where the last
    // SVM runs (and at the sources, for an orthogonal chain): O(path length) per path, whatever
    // the fabric's size.
    for (uint32_t c = 0; c < config.chains.size(); ++c)
    {
        const ChainConfig& chain = config.chains[c];
        for (const ServicePathConfig& path : chain.paths)
        {
            const std::vector<uint32_t> indexes = path.ServiceIndexes();
            std::vector<uint32_t> svms;
            for (uint32_t hop = 0; hop < path.svms.size(); ++hop)
            {
                const uint32_t s = svmOfName.at(path.svms[hop]);
                const uint8_t si = static_cast<uint8_t>(indexes[hop]);
                m_svms[s].paths.push_back(path.spi);
                addHop(m_svms[s].host, path.spi, si, s);
                if (hop == 0)
                {
                    for (uint32_t h : sources[c])
                    {
                        addHop(h, path.spi, si, s);
                    }
                }
                else
                {
                    addHop(m_svms[svms.back()].host, path.spi, si, s);
                }
                svms.push_back(s);
            }
            const uint8_t endSi = static_cast<uint8_t>(indexes.back() - 1);
            m_planes[m_svms[svms.back()].host]->SetPathEnd(path.spi, endSi, chain.orthogonal);
            for (uint32_t h : sources[c])
            {
                m_planes[h]->SetPathEnd(path.spi, endSi, chain.orthogonal);
            }
            m_slotOfSpi[path.spi] = m_spis.size();
            m_spis.push_back(path.spi);
            m_pathSvms.push_back(svms);
        }
    }
    // The SVM hosts of a chain reach its source hosts (reflection, orthogonal paths), and the
    // host of a path's last SVM reaches the flow's destination: a tunnel each way, so that a
    // monitored fabric has a session on it as on every other tunnel.
    for (uint32_t i = 0; i < config.traffic.size(); ++i)
    {
        if (m_chainOfFlow[i] < 0)
        {
            continue;
        }
        const FlowConfig& flow = config.traffic[i];
        const ChainConfig& chain = config.chains[m_chainOfFlow[i]];
        const uint32_t sourceHost = flow.from.GetHostIndex();
        const Ipv4Address source = overlay->GetVtep(sourceHost)->GetLocalAddress();
        const OverlayNetwork::Vm& dst = overlay->GetVm(flow.to);
        uint8_t mac[6];
        dst.mac.CopyTo(mac);
        for (const ServicePathConfig& path : chain.paths)
        {
            for (const std::string& name : path.svms)
            {
                const uint32_t at = m_svms[svmOfName.at(name)].host;
                if (at != sourceHost)
                {
                    m_planes[at]->AddSourceHost(source);
                    overlay->GetVtep(sourceHost)
                        ->AddTunnel(overlay->GetVtep(at)->GetLocalAddress());
                }
            }
            const uint32_t last = m_svms[svmOfName.at(path.svms.back())].host;
            Ptr<VirtualSwitch> vswitch = overlay->GetVirtualSwitch(last);
            if (last == dst.host ||
                vswitch->GetL2Lookup()->Lookup(dst.vni, PortContext::MacToInt(mac)) != nullptr)
            {
                continue;
            }
            Ptr<Vtep> vtep = overlay->GetVtep(last);
            vswitch->AddRemoteEntry(dst.vni,
                                    dst.mac,
                                    vtep->AddTunnel(overlay->GetVtep(dst.host)->GetLocalAddress()));
            overlay->GetVtep(dst.host)->AddTunnel(vtep->GetLocalAddress());
        }
    }
}

void
ChainsFeature::BuildClassifiers(const ScenarioConfig& config, ScenarioNetwork& network)
{
    Ptr<OverlayNetwork> overlay = network.overlay;
    std::vector<ServiceRule> rules;
    for (uint32_t c = 0; c < config.chains.size(); ++c)
    {
        for (const ChainRuleConfig& rule : config.chains[c].match)
        {
            ServiceRule r;
            r.source = rule.from ? overlay->GetVm(*rule.from).ip.Get() : 0;
            r.destination = rule.to ? overlay->GetVm(*rule.to).ip.Get() : 0;
            r.protocol = rule.protocol == RuleProtocol::UDP   ? 17
                         : rule.protocol == RuleProtocol::TCP ? 6
                                                              : 0;
            r.dstPort = rule.dstPort;
            r.chain = ChainId(c);
            rules.push_back(r);
        }
    }
    std::set<VmRef> classified;
    for (uint32_t i = 0; i < config.traffic.size(); ++i)
    {
        const VmRef& from = config.traffic[i].from;
        if (m_chainOfFlow[i] < 0 || !classified.insert(from).second)
        {
            continue;
        }
        const uint32_t h = from.GetHostIndex();
        if (!m_classifiers[h])
        {
            Ptr<ServiceClassifier> classifier = CreateObject<ServiceClassifier>();
            classifier->SetServicePlane(m_planes[h]);
            for (uint32_t c = 0; c < config.chains.size(); ++c)
            {
                std::vector<ServicePathSpec> specs;
                for (const ServicePathConfig& path : config.chains[c].paths)
                {
                    ServicePathSpec spec;
                    spec.spi = path.spi;
                    spec.firstSi = static_cast<uint8_t>(path.ServiceIndexes().front());
                    for (uint32_t s : m_pathSvms[m_slotOfSpi.at(path.spi)])
                    {
                        spec.svms.push_back(SvmId(s));
                    }
                    specs.push_back(spec);
                }
                classifier->AddChain(ChainId(c), specs);
            }
            for (const ServiceRule& rule : rules)
            {
                classifier->AddRule(rule);
            }
            classifier->TraceConnectWithoutContext(
                "PathSelected",
                Callback<void, uint32_t, uint32_t, uint8_t>(
                    [this, h](uint32_t chain, uint32_t spi, uint8_t cause) {
                        PathSelected(h, chain, spi, cause);
                    }));
            m_planes[h]->SetClassifier(classifier);
            m_classifiers[h] = classifier;
        }
        overlay->GetVirtualSwitch(h)->InsertStage(overlay->GetVm(from).port, m_classifiers[h]);
    }
}

void
ChainsFeature::BuildControl(const ScenarioConfig& config, ScenarioNetwork& network)
{
    const schema::Section& section = *schema::FindSection("service_plane");
    std::vector<uint32_t> hosts;
    for (uint32_t h = 0; h < m_planes.size(); ++h)
    {
        if (m_planes[h])
        {
            hosts.push_back(h);
        }
    }
    m_management = CreateObject<ManagementNetwork>();
    schema::ApplyAttributes(section, &config.servicePlane, m_management);
    m_management->SetAttribute("DataRate", DataRateValue(config.servicePlane.managementRate));
    m_management->Build(hosts);
    m_controller = CreateObject<ServiceController>();
    schema::ApplyAttributes(section, &config.servicePlane, m_controller);
    m_management->GetControllerNode()->AddApplication(m_controller);
    for (uint32_t slot = 0; slot < m_spis.size(); ++slot)
    {
        std::vector<uint32_t> ids;
        for (uint32_t s : m_pathSvms[slot])
        {
            ids.push_back(SvmId(s));
        }
        m_controller->AddPath(m_spis[slot], ids);
    }
    m_controller->TraceConnectWithoutContext("ReportReceived",
                                             MakeCallback(&ChainsFeature::ReportReceived, this));
    m_controller->TraceConnectWithoutContext("Report",
                                             MakeCallback(&ChainsFeature::ControllerActed, this));
    m_controller->TraceConnectWithoutContext("TableChange",
                                             MakeCallback(&ChainsFeature::TableChanged, this));
    const bool heartbeats = config.servicePlane.heartbeatInterval.IsStrictlyPositive();
    for (uint32_t h : hosts)
    {
        Ptr<ServiceAgent> agent = CreateObject<ServiceAgent>();
        agent->SetAttribute("ControllerAddress",
                            Ipv4AddressValue(m_management->GetControllerAddress(h)));
        schema::ApplyAttributes(section, &config.servicePlane, agent);
        m_management->GetHostNode(h)->AddApplication(agent);
        m_controller->AddAgent(m_management->GetHostAddress(h));
        for (uint32_t s = 0; s < m_svms.size(); ++s)
        {
            if (m_svms[s].host != h)
            {
                continue;
            }
            agent->AddProxy(m_svms[s].proxy);
            if (heartbeats)
            {
                agent->AddHeartbeatSource(SvmId(s), m_svms[s].function, m_svms[s].vnic);
                m_controller->WatchHeartbeats(SvmId(s));
            }
        }
        if (m_classifiers[h])
        {
            agent->SetClassifier(m_classifiers[h]);
        }
        m_agents.push_back(agent);
    }
}

void
ChainsFeature::ScheduleFailures(const ScenarioConfig& config)
{
    for (uint32_t s = 0; s < config.svms.size(); ++s)
    {
        for (uint32_t f = 0; f < config.svms[s].failures.size(); ++f)
        {
            const SvmFailureConfig& failure = config.svms[s].failures[f];
            Failure record;
            record.svm = s;
            record.index = f;
            record.at = failure.at;
            if (f + 1 < config.svms[s].failures.size())
            {
                record.owns = config.svms[s].failures[f + 1].at;
            }
            m_firstFailureAt = std::min(m_firstFailureAt, failure.at);
            m_failures.push_back(record);
            Simulator::Schedule(failure.at,
                                &ChainsFeature::ApplyFailure,
                                this,
                                s,
                                m_failures.size() - 1,
                                true);
            if (failure.end)
            {
                Simulator::Schedule(*failure.end,
                                    &ChainsFeature::ApplyFailure,
                                    this,
                                    s,
                                    m_failures.size() - 1,
                                    false);
            }
        }
    }
}

void
ChainsFeature::EnablePcap(const ScenarioConfig& config, ScenarioNetwork& network)
{
    if (!config.servicePlane.pcap || network.outDir.empty())
    {
        return;
    }
    std::filesystem::create_directories(network.outDir);
    PcapHelper helper;
    for (uint32_t s = 0; s < m_svms.size(); ++s)
    {
        const std::string file =
            fmt::format("{}/{}-{}.pcap", network.outDir, config.name, config.svms[s].name);
        Ptr<PcapFileWrapper> wrapper =
            helper.CreateFile(file, std::ios::out, PcapHelper::DLT_EN10MB);
        m_svms[s].vnic->TraceConnectWithoutContext("Sniffer",
                                                   MakeBoundCallback(&WriteFrame, wrapper));
        m_pcaps.push_back(wrapper);
        network.pcapFiles.emplace_back(config.svms[s].name, file);
    }
}

void
ChainsFeature::ApplyFailure(uint32_t svm, uint32_t failure, bool start)
{
    Failure& record = m_failures[failure];
    const SvmFailureConfig& c = m_config->svms[svm].failures[record.index];
    Svm& s = m_svms[svm];
    switch (c.kind)
    {
    case SvmFailureKind::CRASH:
        s.function->SetHealth(start ? ServiceFunction::CRASHED : ServiceFunction::HEALTHY);
        break;
    case SvmFailureKind::HANG:
        s.function->SetHealth(start ? ServiceFunction::HUNG : ServiceFunction::HEALTHY);
        break;
    case SvmFailureKind::FLAKY:
    case SvmFailureKind::SLOW:
        schema::ApplyAttributes(*schema::FindSection("failures"), &c, s.function);
        s.function->SetHealth(!start                            ? ServiceFunction::HEALTHY
                              : c.kind == SvmFailureKind::FLAKY ? ServiceFunction::FLAKY
                                                                : ServiceFunction::SLOW);
        break;
    case SvmFailureKind::INTERFACE_DOWN:
        s.vnic->SetLinkUp(!start);
        break;
    case SvmFailureKind::ADMIN_FAIL:
        m_controller->AdminFail(SvmId(svm), start);
        break;
    }
    if (!start)
    {
        return;
    }
    // The flows it hits: those running now whose source classifier sends them through it.
    const Time now = Simulator::Now();
    for (uint32_t i = 0; i < m_chainOfFlow.size(); ++i)
    {
        const FlowConfig& flow = m_config->traffic[i];
        if (m_chainOfFlow[i] < 0 || flow.start > now ||
            flow.stop.value_or(m_config->duration) <= now)
        {
            continue;
        }
        const uint32_t spi =
            m_classifiers[flow.from.GetHostIndex()]->GetSelectedPath(ChainId(m_chainOfFlow[i]));
        if (spi != ServiceClassifier::NO_PATH && PathHasSvm(spi, svm))
        {
            record.onPath.push_back(i);
        }
    }
    record.recoveredAt.assign(record.onPath.size(), std::nullopt);
    record.recoveredSentAt.assign(record.onPath.size(), Time(0));
    record.slotOfFlow.assign(m_chainOfFlow.size(), -1);
    for (size_t k = 0; k < record.onPath.size(); ++k)
    {
        record.slotOfFlow[record.onPath[k]] = static_cast<int32_t>(k);
    }
    record.unrecovered = record.onPath.size();
    if (!record.onPath.empty())
    {
        m_open.push_back(failure);
    }
}

bool
ChainsFeature::PathHasSvm(uint32_t spi, uint32_t svm) const
{
    auto slot = m_slotOfSpi.find(spi);
    if (slot == m_slotOfSpi.end())
    {
        return false;
    }
    const std::vector<uint32_t>& svms = m_pathSvms[slot->second];
    return std::find(svms.begin(), svms.end(), svm) != svms.end();
}

void
ChainsFeature::ProxyStatus(uint32_t svm, bool up, uint8_t cause)
{
    Svm& s = m_svms[svm - 1];
    s.statusAt.push_back(Simulator::Now());
    s.statusUp.push_back(up);
    s.statusWhy.push_back(cause);
}

void
ChainsFeature::ReportReceived(uint32_t svm, bool up)
{
    for (Failure& f : m_failures)
    {
        if (f.svm == svm - 1 && !up && !f.reportAt && Owns(f, Simulator::Now()))
        {
            f.reportAt = Simulator::Now();
        }
    }
}

void
ChainsFeature::ControllerActed(uint32_t svm, bool up, uint8_t cause, uint8_t mechanism)
{
    for (Failure& f : m_failures)
    {
        if (f.svm == svm - 1 && !up && !f.controllerAt && Owns(f, Simulator::Now()))
        {
            f.controllerAt = Simulator::Now();
            f.controllerMechanism = mechanism;
        }
    }
}

void
ChainsFeature::TableChanged(uint32_t spi, bool up)
{
    for (Failure& f : m_failures)
    {
        if (!up && !f.tableChangeAt && Owns(f, Simulator::Now()) && PathHasSvm(spi, f.svm))
        {
            f.tableChangeAt = Simulator::Now();
        }
    }
}

void
ChainsFeature::PathSelected(uint32_t host, uint32_t chain, uint32_t spi, uint8_t cause)
{
    m_pathChanges.push_back(PathChange{Simulator::Now(), host, chain, spi, cause});
}

void
ChainsFeature::Delivered(Ptr<const Packet> packet, uint32_t spi)
{
    if (m_open.empty())
    {
        return;
    }
    FlowTag tag;
    if (!packet->PeekPacketTag(tag))
    {
        return;
    }
    // O(1) per open failure: the flow's slot, then its path.
    for (size_t o = 0; o < m_open.size();)
    {
        Failure& f = m_failures[m_open[o]];
        const int32_t k = f.slotOfFlow[tag.GetFlowId()];
        if (k >= 0 && !f.recoveredAt[k] && !PathHasSvm(spi, f.svm))
        {
            f.recoveredAt[k] = Simulator::Now();
            f.recoveredSentAt[k] = tag.GetSentAt();
            --f.unrecovered;
        }
        if (f.unrecovered == 0)
        {
            m_open.erase(m_open.begin() + o);
            continue;
        }
        ++o;
    }
}

void
ChainsFeature::Dropped(Ptr<const Packet> packet, DropReason reason)
{
    if (Simulator::Now() < m_firstFailureAt)
    {
        return;
    }
    FlowTag tag;
    if (packet->PeekPacketTag(tag) && m_chainOfFlow[tag.GetFlowId()] >= 0)
    {
        m_dropsOfFlow[tag.GetFlowId()].push_back(
            ChainDrop{Simulator::Now(), tag.GetSentAt(), reason});
    }
}

void
ChainsFeature::Collect(const ScenarioConfig& config,
                       const ScenarioNetwork& network,
                       nlohmann::ordered_json& results)
{
    if (config.chains.empty())
    {
        return;
    }
    for (const Ptr<PcapFileWrapper>& pcap : m_pcaps)
    {
        pcap->Close(); // complete on disk now: the vNICs that write them outlive the run
    }
    Json out = Json::object();

    Json paths = Json::object();
    for (uint32_t c = 0; c < config.chains.size(); ++c)
    {
        for (const ServicePathConfig& path : config.chains[c].paths)
        {
            std::vector<std::string> down;
            for (uint32_t s : m_pathSvms[m_slotOfSpi.at(path.spi)])
            {
                if (!m_svms[s].proxy->IsUp())
                {
                    down.push_back(config.svms[s].name);
                }
            }
            const bool up = m_controller ? m_controller->IsPathUp(path.spi) : down.empty();
            std::vector<uint32_t> indexes = path.ServiceIndexes();
            paths[PathKey(path.spi)] = Json{
                {"chain", config.chains[c].name},
                {"svms", path.svms},
                {"indexes", indexes},
                {"up", up},
                {"status", up ? std::string("UP") : fmt::format("DOWN({})", fmt::join(down, ","))}};
        }
    }
    out["paths"] = paths;

    Json table = Json::array();
    if (m_controller)
    {
        for (const ServiceController::TableChange& change : m_controller->GetHistory())
        {
            std::vector<std::string> failed;
            for (uint32_t id : change.failed)
            {
                failed.push_back(config.svms[id - 1].name);
            }
            table.push_back(Json{
                {"t_s", Sec(change.at)},
                {"path", PathKey(change.spi)},
                {"status",
                 change.up ? std::string("UP") : fmt::format("DOWN({})", fmt::join(failed, ","))}});
        }
    }
    out["status_table"] = table;

    Json svms = Json::object();
    for (uint32_t s = 0; s < m_svms.size(); ++s)
    {
        const Svm& svm = m_svms[s];
        const ServiceProxy::Counters& p = svm.proxy->GetCounters();
        const ServiceFunction::Counters& f = svm.function->GetCounters();
        Json changes = Json::array();
        uint64_t downs = 0;
        for (size_t k = 0; k < svm.statusAt.size(); ++k)
        {
            downs += svm.statusUp[k] ? 0 : 1;
            changes.push_back(Json{{"t_s", Sec(svm.statusAt[k])},
                                   {"up", static_cast<bool>(svm.statusUp[k])},
                                   {"cause", ProxyCauseName(svm.statusWhy[k])}});
        }
        svms[config.svms[s].name] = Json{{"host", config.svms[s].host.Format()},
                                         {"function", ToString(config.svms[s].function)},
                                         {"up", svm.proxy->IsUp()},
                                         {"down_events", downs},
                                         {"queries_in_band", p.inBandQueries},
                                         {"probes", p.probes},
                                         {"answers", p.answers},
                                         {"stale_answers", p.stale},
                                         {"duplicate_answers", p.duplicates},
                                         {"missed", p.missed},
                                         {"queries_seen", f.queries},
                                         {"queries_answered", f.answered},
                                         {"processed", f.processed},
                                         {"dropped_by_function", f.dropped},
                                         {"status_changes", changes}};
    }
    out["svms"] = svms;

    Json selection = Json::object();
    for (uint32_t c = 0; c < config.chains.size(); ++c)
    {
        Json flows = Json::array();
        for (uint32_t i = 0; i < m_chainOfFlow.size(); ++i)
        {
            if (m_chainOfFlow[i] == static_cast<int32_t>(c))
            {
                flows.push_back(config.traffic[i].name);
            }
        }
        Json changes = Json::array();
        for (const PathChange& change : m_pathChanges)
        {
            if (change.chain != ChainId(c))
            {
                continue;
            }
            changes.push_back(
                Json{{"t_s", Sec(change.at)},
                     {"host", fmt::format("host{}", change.host)},
                     {"path",
                      change.spi == ServiceClassifier::NO_PATH ? Json(nullptr)
                                                               : Json(PathKey(change.spi))},
                     {"cause", ClassifierCauseName(change.cause)}});
        }
        selection[config.chains[c].name] = Json{{"flows", flows}, {"path_changes", changes}};
    }
    out["selection"] = selection;

    Json failures = Json::array();
    for (const Failure& f : m_failures)
    {
        const SvmConfig& svmConfig = config.svms[f.svm];
        const SvmFailureConfig& c = svmConfig.failures[f.index];
        const Svm& svm = m_svms[f.svm];
        // Detection: the proxy's first DOWN in the failure, or the controller's (heartbeats,
        // the administrator) when that came first.
        std::optional<Time> detected;
        std::string detectedBy;
        for (size_t k = 0; k < svm.statusAt.size(); ++k)
        {
            if (!svm.statusUp[k] && Owns(f, svm.statusAt[k]))
            {
                detected = svm.statusAt[k];
                detectedBy = ProxyCauseName(svm.statusWhy[k]);
                break;
            }
        }
        // The controller acts ProcessingDelay after it noticed (a heartbeat deadline, the
        // administrator's word): that instant is its detection.
        const std::optional<Time> noticed =
            f.controllerAt
                ? std::optional<Time>(*f.controllerAt - config.servicePlane.controllerDelay)
                : std::nullopt;
        if (noticed && f.controllerMechanism != ServiceController::PROXY &&
            (!detected || *noticed < *detected))
        {
            detected = noticed;
            detectedBy = MechanismName(f.controllerMechanism);
        }
        // Per flow on a path through the SVM: its packets lost from the failure to its first
        // packet through a path avoiding it. A flow is hit when it lost one (a flaky SVM's data
        // gets through: its flows are on its path, and unharmed).
        Json flows = Json::object();
        std::map<std::string, uint64_t> lostByReason;
        uint64_t lost = 0;
        std::optional<Time> recovered;
        std::vector<uint32_t> hit;
        bool allRecovered = true;
        for (size_t k = 0; k < f.onPath.size(); ++k)
        {
            const uint32_t flow = f.onPath[k];
            uint64_t flowLost = 0;
            for (const ChainDrop& d : m_dropsOfFlow[flow])
            {
                if (Owns(f, d.at) && (!f.recoveredAt[k] || d.sentAt < f.recoveredSentAt[k]))
                {
                    ++flowLost;
                    lostByReason[ToString(d.reason)]++;
                }
            }
            if (flowLost == 0)
            {
                continue;
            }
            hit.push_back(flow);
            lost += flowLost;
            allRecovered = allRecovered && f.recoveredAt[k].has_value();
            if (f.recoveredAt[k] && (!recovered || *f.recoveredAt[k] > *recovered))
            {
                recovered = f.recoveredAt[k];
            }
            flows[config.traffic[flow].name] =
                Json{{"lost", flowLost},
                     {"recovered_s", OptSec(f.recoveredAt[k])},
                     {"recovery_ms", OptMsSince(f.recoveredAt[k], f.at)}};
        }
        allRecovered = allRecovered && !hit.empty();
        if (!allRecovered)
        {
            recovered.reset();
        }
        // Reprogrammed: every source host of a hit flow chose a path avoiding the SVM.
        std::optional<Time> reprogrammed;
        std::string reprogrammedBy;
        bool allReprogrammed = !hit.empty();
        std::set<uint32_t> sourceHosts;
        for (uint32_t flow : hit)
        {
            sourceHosts.insert(config.traffic[flow].from.GetHostIndex());
        }
        for (uint32_t h : sourceHosts)
        {
            std::optional<Time> first;
            for (const PathChange& change : m_pathChanges)
            {
                if (change.host == h && Owns(f, change.at) &&
                    (change.spi == ServiceClassifier::NO_PATH || !PathHasSvm(change.spi, f.svm)))
                {
                    first = change.at;
                    if (!reprogrammed || change.at > *reprogrammed)
                    {
                        reprogrammed = change.at;
                        reprogrammedBy = ClassifierCauseName(change.cause);
                    }
                    break;
                }
            }
            allReprogrammed = allReprogrammed && first.has_value();
        }
        if (!allReprogrammed)
        {
            reprogrammed.reset();
        }
        Json byReason = Json::object();
        for (const auto& [reason, n] : lostByReason)
        {
            byReason[reason] = n;
        }
        std::string verdict = !detected      ? "not-detected"
                              : hit.empty()  ? "detected-no-flow-hit"
                              : allRecovered ? "recovered"
                                             : "detected-not-recovered";
        failures.push_back(
            Json{{"svm", svmConfig.name},
                 {"kind", ToString(c.kind)},
                 {"at_s", Sec(f.at)},
                 {"end_s", OptSec(c.end)},
                 {"verdict", verdict},
                 {"flows_on_path", f.onPath.size()},
                 {"hit_flows", hit.size()},
                 {"detected", detected.has_value()},
                 {"detected_by", detected ? Json(detectedBy) : Json(nullptr)},
                 {"detection_ms", OptMsSince(detected, f.at)},
                 {"report_ms", OptMsSince(f.reportAt, f.at)},
                 {"table_change_ms", OptMsSince(f.tableChangeAt, f.at)},
                 {"reprogram_ms", OptMsSince(reprogrammed, f.at)},
                 {"reprogrammed_by", reprogrammed ? Json(reprogrammedBy) : Json(nullptr)},
                 {"recovered", allRecovered},
                 {"recovery_ms", OptMsSince(recovered, f.at)},
                 {"lost", lost},
                 {"lost_by_reason", byReason},
                 {"flows", flows}});
    }
    out["failures"] = failures;

    uint64_t reportsSent = 0;
    uint64_t pushesApplied = 0;
    for (const Ptr<ServiceAgent>& agent : m_agents)
    {
        reportsSent += agent->GetReportsSent();
        pushesApplied += agent->GetPushesApplied();
    }
    out["controller"] = Json{{"enabled", m_controller != nullptr},
                             {"reports_sent", reportsSent},
                             {"messages_received", m_controller ? m_controller->GetReports() : 0},
                             {"pushes_sent", m_controller ? m_controller->GetPushes() : 0},
                             {"pushes_applied", pushesApplied}};
    results["chains"] = out;
}

std::vector<ResultsField>
ChainsFeature::ResultsSections() const
{
    ResultsShape::AbsentIf noChains = [](const ScenarioConfig& c) {
        return c.chains.empty() ? std::string("the scenario has no chains") : std::string();
    };
    ResultsShape::NamesOf pathNames = [](const ScenarioConfig& c) {
        std::vector<std::string> names;
        for (const ChainConfig& chain : c.chains)
        {
            for (const ServicePathConfig& path : chain.paths)
            {
                names.push_back(PathKey(path.spi));
            }
        }
        return std::optional<std::vector<std::string>>(names);
    };
    ResultsShape::NamesOf svmNames = [](const ScenarioConfig& c) {
        std::vector<std::string> names;
        for (const SvmConfig& svm : c.svms)
        {
            names.push_back(svm.name);
        }
        return std::optional<std::vector<std::string>>(names);
    };
    ResultsShape::NamesOf chainNames = [](const ScenarioConfig& c) {
        std::vector<std::string> names;
        for (const ChainConfig& chain : c.chains)
        {
            names.push_back(chain.name);
        }
        return std::optional<std::vector<std::string>>(names);
    };
    ResultsShape::CountOf failureCount = [](const ScenarioConfig& c) {
        size_t n = 0;
        for (const SvmConfig& svm : c.svms)
        {
            n += svm.failures.size();
        }
        return std::optional<size_t>(n);
    };
    ResultsShape anyCount = ResultsNumber("", "");
    ResultsShape path = ResultsObject(
        "One service path at the end of the run.",
        {{"chain", ResultsText("The chain it belongs to.")},
         {"svms", ResultsList("Its SVMs in order.", "hop", nullptr, ResultsText("An SVM."))},
         {"indexes",
          ResultsList("The service index of each SVM.", "hop", nullptr, ResultsNumber("", "SI."))},
         {"up",
          ResultsBoolean("Its status: the controller's table, or without the controller every "
                         "SVM's proxy UP.")},
         {"status", ResultsText("UP, or DOWN(<the SVMs whose proxy says DOWN>).")}});
    ResultsShape tableRow = ResultsObject(
        "A change of the controller's status table (seed 001 paragraph 0033).",
        {{"t_s", ResultsNumber("s", "When the controller changed it.")},
         {"path", ResultsText("spi<N>.")},
         {"status", ResultsText("UP, or DOWN(<its failed SVMs>), as table 340 of Fig. 3.")}});
    ResultsShape statusChange = ResultsObject(
        "A status change of the SVM at its proxy.",
        {{"t_s", ResultsNumber("s", "When.")},
         {"up", ResultsBoolean("The new status.")},
         {"cause",
          ResultsText("queries-missed, dead-time, interface-down, answer or interface-up.")}});
    ResultsShape svm = ResultsObject(
        "One service VM: its proxy's liveness counters and what the SVM saw.",
        {{"host", ResultsText("Its host.")},
         {"function", ResultsText("Its service function.")},
         {"up", ResultsBoolean("Its proxy's status at the end.")},
         {"down_events", ResultsNumber("", "Times its proxy declared it DOWN.")},
         {"queries_in_band", ResultsNumber("", "Queries sent on data packets.")},
         {"probes", ResultsNumber("", "Queries sent as probes of their own (idle).")},
         {"answers", ResultsNumber("", "Valid answers (latest sequence, first time).")},
         {"stale_answers", ResultsNumber("", "Answers to an older query, ignored.")},
         {"duplicate_answers", ResultsNumber("", "Second answers to the latest query, ignored.")},
         {"missed", ResultsNumber("", "Queries judged unanswered.")},
         {"queries_seen", ResultsNumber("", "Queries the SVM received (while it ran).")},
         {"queries_answered", ResultsNumber("", "Queries it answered.")},
         {"processed", ResultsNumber("", "Data packets it returned.")},
         {"dropped_by_function", ResultsNumber("", "Data packets its function dropped.")},
         {"status_changes",
          ResultsList("Its proxy's status changes.", "change", nullptr, statusChange)}});
    ResultsShape pathChange = ResultsObject(
        "A change of the path a source host's classifier chose for the chain.",
        {{"t_s", ResultsNumber("s", "When.")},
         {"host", ResultsText("The source host.")},
         {"path", ResultsText("spi<N>; null when no path of the chain is UP.").Nullable()},
         {"cause", ResultsText("controller (a push) or reflection (a reflected packet).")}});
    ResultsShape chain = ResultsObject(
        "One chain: its flows and the path changes of its classifiers.",
        {{"flows",
          ResultsList("The flows its rules match.", "flow", nullptr, ResultsText("A flow."))},
         {"path_changes",
          ResultsList("Path changes, in time order.", "change", nullptr, pathChange)}});
    ResultsShape flowOfFailure = ResultsObject(
        "A flow the failure hit (it lost a packet to it).",
        {{"lost",
          ResultsNumber("",
                        "Its packets dropped after the failure began and sent before its first "
                        "packet through a path avoiding the SVM.")},
         {"recovered_s",
          ResultsNumber("s",
                        "Its first packet to leave a path avoiding the SVM (at the path's end); "
                        "null if none.")
              .Nullable()},
         {"recovery_ms", ResultsNumber("ms", "recovered_s - at_s.").Nullable()}});
    ResultsShape failure = ResultsObject(
        "One SVM failure (svms[*].failures, SVM by SVM) and its timing breakdown.",
        {{"svm", ResultsText("The SVM.")},
         {"kind", ResultsText("crash, hang, flaky, slow, interface-down or admin-fail.")},
         {"at_s", ResultsNumber("s", "When it began.")},
         {"end_s", ResultsNumber("s", "When it ended; null if it lasts.").Nullable()},
         {"verdict",
          ResultsText("recovered (detected, and every hit flow got through a path avoiding "
                      "the SVM), detected-not-recovered, detected-no-flow-hit, or not-detected.")},
         {"flows_on_path",
          ResultsNumber("", "Flows running at at_s whose classifier sent them through the SVM.")},
         {"hit_flows", ResultsNumber("", "Of those, the flows that lost a packet to it.")},
         {"detected", ResultsBoolean("detection_ms is not null.")},
         {"detected_by",
          ResultsText("queries-missed, dead-time or interface-down (the proxy), heartbeat or "
                      "admin (the controller); null if never.")
              .Nullable()},
         {"detection_ms",
          ResultsNumber("ms",
                        "Failure -> DOWN at the proxy, or the controller noticing it (missed "
                        "heartbeats, the administrator), whichever came first.")
              .Nullable()},
         {"report_ms",
          ResultsNumber("ms", "Failure -> the proxy's report at the controller.").Nullable()},
         {"table_change_ms",
          ResultsNumber("ms", "Failure -> first path through it DOWN in the status table.")
              .Nullable()},
         {"reprogram_ms",
          ResultsNumber("ms",
                        "Failure -> every hit flow's source classifier chose a path avoiding it.")
              .Nullable()},
         {"reprogrammed_by",
          ResultsText("controller or reflection: the last classifier's.").Nullable()},
         {"recovered",
          ResultsBoolean("It hit a flow, and every hit flow got a packet through a path avoiding "
                         "the SVM.")},
         {"recovery_ms",
          ResultsNumber("ms",
                        "Failure -> the last hit flow's first packet through a path avoiding it.")
              .Nullable()},
         {"lost", ResultsNumber("", "Packets of the hit flows lost to it (see flows).")},
         {"lost_by_reason",
          ResultsNamed("Those packets by drop reason.", "reason", ResultsDropReasons(), anyCount)
              .ZeroWhenAbsent()},
         {"flows", ResultsNamed("Per hit flow.", "flow", ResultsFlowNames(), flowOfFailure)}});
    ResultsShape controller = ResultsObject(
        "The control plane's messages over the management network.",
        {{"enabled", ResultsBoolean("service_plane.controller.")},
         {"reports_sent", ResultsNumber("", "REPORTs the agents sent.")},
         {"messages_received", ResultsNumber("", "REPORTs and HEARTBEATs the controller got.")},
         {"pushes_sent", ResultsNumber("", "PUSH messages the controller sent (one per agent).")},
         {"pushes_applied", ResultsNumber("", "Path statuses the agents applied.")}});
    return {{"chains",
             ResultsObject(
                 "Service chains (seed 001).",
                 {{"paths", ResultsNamed("Per service path.", "path", pathNames, path)},
                  {"status_table",
                   ResultsList("The controller's status table over time (empty without "
                               "the controller).",
                               "change",
                               nullptr,
                               tableRow)},
                  {"svms", ResultsNamed("Per service VM.", "SVM", svmNames, svm)},
                  {"selection", ResultsNamed("Per chain.", "chain", chainNames, chain)},
                  {"failures", ResultsList("Per SVM failure.", "failure", failureCount, failure)},
                  {"controller", controller}})
                 .AbsentWhen(noChains)}};
}

} // namespace ns3
