#include "feature-migrations.h"

#include "flow-tag.h"

#include "ns3/simulator.h"

#include <algorithm>
#include <set>

namespace ns3
{

using Json = nlohmann::ordered_json;

void
MigrationsFeature::Install(const ScenarioConfig& config, ScenarioNetwork& network)
{
    if (config.migrations.empty())
    {
        return;
    }
    m_overlay = network.overlay;
    m_masters = network.offloadMasters;
    m_masters.resize(m_overlay->GetHostCount());
    const std::vector<OverlayNetwork::Vm>& vms = m_overlay->GetVms();
    for (uint32_t i = 0; i < config.migrations.size(); ++i)
    {
        const MigrationConfig& mc = config.migrations[i];
        Migration m;
        m.vm = std::find_if(vms.begin(),
                            vms.end(),
                            [&mc](const OverlayNetwork::Vm& v) { return v.name == mc.vm; }) -
               vms.begin();
        const OverlayNetwork::Vm& vm = vms[m.vm];
        m.from = vm.host;
        m.to = mc.to.GetIndex();
        Ptr<Vtep> target = m_overlay->GetVtep(m.to);
        Ptr<VirtualSwitch> targetSwitch = m_overlay->GetVirtualSwitch(m.to);

        // The controller prepares the new host for the segment: ARP and L2 entries of every
        // other member (pushed to its NICs when it offloads).
        std::set<uint32_t> holders{m.from};
        std::vector<MappingUpdate> programmed;
        for (const OverlayNetwork::Vm& u : vms)
        {
            if (u.vni != vm.vni)
            {
                continue;
            }
            holders.insert(u.host);
            targetSwitch->AddArpEntry(u.vni, u.ip, u.mac);
            if (u.host != m.to && &u != &vm &&
                !targetSwitch->GetL2Lookup()->Lookup(u.vni, NicMappingTable::MacToInt(u.mac)))
            {
                Ptr<Vtep> at = m_overlay->GetVtep(u.host);
                targetSwitch->AddRemoteEntry(u.vni,
                                             u.mac,
                                             target->AddTunnel(at->GetLocalAddress()));
                programmed.push_back(MappingUpdate{u.vni,
                                                   u.mac,
                                                   false,
                                                   {at->GetLocalAddress(), at->GetMacAddress()}});
            }
        }
        if (m_masters[m.to] && !programmed.empty())
        {
            m_masters[m.to]->Update(programmed);
        }
        // Whoever holds an entry for the VM gets a tunnel to the new host now (monitored).
        if (network.fastPath.gateway)
        {
            holders.insert(*network.fastPath.gateway);
        }
        for (uint32_t h : holders)
        {
            if (h != m.to)
            {
                m.tunnels[h] = m_overlay->GetVtep(h)->AddTunnel(target->GetLocalAddress());
            }
        }
        for (uint32_t f = 0; f < config.traffic.size(); ++f)
        {
            if (config.traffic[f].to == mc.vm)
            {
                m.flows.push_back(f);
            }
        }
        targetSwitch->TraceConnectWithoutContext(
            "FlowRx",
            Callback<void, Ptr<const Packet>>(
                [this, i](Ptr<const Packet> frame) { DeliveredAtNewHost(i, frame); }));
        Simulator::Schedule(mc.at, &MigrationsFeature::Switchover, this, i);
        Simulator::Schedule(mc.at + mc.notifyDelay, &MigrationsFeature::Notify, this, i);
        m_migrations.push_back(std::move(m));
    }
}

Time
MigrationsFeature::MasterToNewHost(const Migration& m, uint32_t h)
{
    if (!m_masters[h])
    {
        return Simulator::Now();
    }
    const OverlayNetwork::Vm& vm = m_overlay->GetVms()[m.vm];
    Ptr<Vtep> target = m_overlay->GetVtep(m.to);
    m_masters[h]->Update({MappingUpdate{vm.vni,
                                        vm.mac,
                                        false,
                                        {target->GetLocalAddress(), target->GetMacAddress()}}});
    return m_masters[h]->GetSettledAt();
}

void
MigrationsFeature::Update(Migration& m, uint32_t h)
{
    const OverlayNetwork::Vm& vm = m_overlay->GetVms()[m.vm];
    m_overlay->GetVirtualSwitch(h)->AddRemoteEntry(vm.vni, vm.mac, m.tunnels.at(h));
    m.updated[h] = MasterToNewHost(m, h);
}

void
MigrationsFeature::Switchover(uint32_t i)
{
    Migration& m = m_migrations[i];
    const OverlayNetwork::Vm& vm = m_overlay->GetVms()[m.vm];
    m_overlay->GetVirtualSwitch(m.from)->DetachPort(vm.port, m.tunnels.at(m.from));
    m_overlay->GetVirtualSwitch(m.to)->AddPort(vm.vnic, vm.vni);
    // Migrated out: the old host's master names the new VTEP; migrated in: the VM is local.
    m.updated[m.from] = MasterToNewHost(m, m.from);
    if (m_masters[m.to])
    {
        m_masters[m.to]->Update({MappingUpdate{vm.vni, vm.mac, true, {}}});
    }
    m.updated[m.to] = Simulator::Now();
}

void
MigrationsFeature::Notify(uint32_t i)
{
    Migration& m = m_migrations[i];
    for (const auto& [h, tunnel] : m.tunnels)
    {
        if (h != m.from)
        {
            Update(m, h);
        }
    }
}

void
MigrationsFeature::DeliveredAtNewHost(uint32_t i, Ptr<const Packet> frame)
{
    Migration& m = m_migrations[i];
    FlowTag tag;
    if (m.firstAtNewHost || !frame->PeekPacketTag(tag) ||
        std::find(m.flows.begin(), m.flows.end(), tag.GetFlowId()) == m.flows.end())
    {
        return;
    }
    m.firstAtNewHost = Simulator::Now();
}

void
MigrationsFeature::Collect(const ScenarioConfig& config,
                           const ScenarioNetwork& network,
                           nlohmann::ordered_json& results)
{
    if (config.migrations.empty())
    {
        return;
    }
    Json list = Json::array();
    for (uint32_t i = 0; i < m_migrations.size(); ++i)
    {
        const Migration& m = m_migrations[i];
        const MigrationConfig& mc = config.migrations[i];
        const double at = mc.at.GetSeconds();
        Json hosts = Json::object();
        Time last = mc.at;
        for (const auto& [h, t] : m.updated)
        {
            hosts[HostRef(h).Format()] = t.GetSeconds();
            last = std::max(last, t);
        }
        // Every holder of an entry and the new host: updated unless notify_delay outlasted the run.
        const bool allUpdated = m.updated.size() == m.tunnels.size() + 1;
        Json flows = Json::object();
        uint64_t wrongWay = 0;
        for (uint32_t f : m.flows)
        {
            const uint64_t dropped =
                network.ledger->GetFlow(f).dropped[size_t(DropReason::VM_MIGRATED)];
            flows[config.traffic[f].name] = {{"wrong_way", dropped}};
            wrongWay += dropped;
        }
        list.push_back({{"vm", mc.vm.Format()},
                        {"from", HostRef(m.from).Format()},
                        {"to", mc.to.Format()},
                        {"at_s", at},
                        {"notified_s", (mc.at + mc.notifyDelay).GetSeconds()},
                        {"hosts_updated_s", hosts},
                        {"update_window_ms",
                         allUpdated ? Json((last - mc.at).GetNanoSeconds() / 1e6) : Json(nullptr)},
                        {"first_at_new_host_s",
                         m.firstAtNewHost ? Json(m.firstAtNewHost->GetSeconds()) : Json(nullptr)},
                        {"blackhole_ms",
                         m.firstAtNewHost ? Json((*m.firstAtNewHost - mc.at).GetNanoSeconds() / 1e6)
                                          : Json(nullptr)},
                        {"wrong_way", wrongWay},
                        {"flows", flows}});
    }
    results["migrations"] = list;
}

std::vector<ResultsField>
MigrationsFeature::ResultsSections() const
{
    ResultsShape::NamesOf flowsToVm = [](const ScenarioConfig& c) {
        std::vector<std::string> names;
        for (const MigrationConfig& m : c.migrations)
        {
            for (uint32_t f = 0; f < c.traffic.size(); ++f)
            {
                if (c.traffic[f].to == m.vm)
                {
                    names.push_back(c.traffic[f].name);
                }
            }
        }
        return std::optional<std::vector<std::string>>(names);
    };
    ResultsShape migration = ResultsObject(
        "One migration.",
        {{"vm", ResultsText("The VM.")},
         {"from", ResultsText("Its old host.")},
         {"to", ResultsText("Its new host.")},
         {"at_s", ResultsNumber("s", "The switchover.")},
         {"notified_s", ResultsNumber("s", "The controller's update of the other hosts.")},
         {"hosts_updated_s",
          ResultsNamed("Per host holding an entry for the VM: when its data path names the new "
                       "host (an offloading host: when its NICs have applied the push).",
                       "host",
                       nullptr,
                       ResultsNumber("s", "The time."))},
         {"update_window_ms",
          ResultsNumber("ms", "From the switchover to the last host's update.").Nullable()},
         {"first_at_new_host_s",
          ResultsNumber("s",
                        "First packet of a flow to the VM delivered at the new host; null: "
                        "none.")
              .Nullable()},
         {"blackhole_ms",
          ResultsNumber("ms",
                        "From the switchover to first_at_new_host_s: how long the VM's flows "
                        "were blackholed; null: to the end of the run.")
              .Nullable()},
         {"wrong_way",
          ResultsNumber("",
                        "Packets of flows to the VM that reached the old host after the "
                        "switchover (dropped there: vm_migrated).")},
         {"flows",
          ResultsNamed(
              "Per flow to the VM.",
              "flow",
              flowsToVm,
              ResultsObject("The flow's wrong-way packets.",
                            {{"wrong_way", ResultsNumber("", "Its vm_migrated drops.")}}))}});
    return {{"migrations",
             ResultsList(
                 "The VM migrations, in the order of migrations.",
                 "migration index",
                 [](const ScenarioConfig& c) { return std::optional<size_t>(c.migrations.size()); },
                 migration)
                 .AbsentWhen([](const ScenarioConfig& c) {
                     return c.migrations.empty() ? std::string("no migrations") : std::string();
                 })}};
}

} // namespace ns3
