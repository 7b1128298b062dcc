#include "fabric-helper.h"

#include "helper-attributes.h"
#include "routing-controller.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/data-rate.h"
#include "ns3/log.h"
#include "ns3/nstime.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FabricHelper");

FabricHelper::FabricHelper()
    : m_switchFactory("ns3::FabricSwitch"),
      m_deviceFactory("ns3::FabricNetDevice"),
      m_channelFactory("ns3::FabricChannel"),
      m_routingFactory("ns3::RoutingController")
{
}

void
FabricHelper::SetTopology(uint32_t spines,
                          uint32_t racks,
                          uint32_t hostsPerRack,
                          uint32_t uplinksPerHost,
                          uint32_t leavesPerRack)
{
    m_config.spines = spines;
    m_config.racks = racks;
    m_config.leavesPerRack = leavesPerRack;
    m_config.hostsPerRack = hostsPerRack;
    m_config.uplinksPerHost = uplinksPerHost;
}

void
FabricHelper::SetSwitchAttribute(const std::string& name, const AttributeValue& value)
{
    NS_ABORT_MSG_IF(name == "EcmpSeed",
                    "FabricHelper: EcmpSeed is derived per switch from the seed given to Install");
    m_switchFactory.Set(name, value);
}

LinkTierConfig&
FabricHelper::Tier(FabricLinkTier tier)
{
    return tier == FabricLinkTier::ACCESS ? m_config.access : m_config.core;
}

bool
FabricHelper::SetTierAttribute(TypeId tid,
                               FabricLinkTier tier,
                               const std::string& name,
                               const AttributeValue& value)
{
    LinkTierConfig& t = Tier(tier);
    if (tid == FabricChannel::GetTypeId())
    {
        if (name != "Delay")
        {
            return false;
        }
        t.delay = DynamicCast<TimeValue>(CheckedAttributeValue(tid, name, value))->Get();
        return true;
    }
    if (name == "DataRate")
    {
        t.rate = DynamicCast<DataRateValue>(CheckedAttributeValue(tid, name, value))->Get();
    }
    else if (name == "Mtu")
    {
        t.mtu = DynamicCast<UintegerValue>(CheckedAttributeValue(tid, name, value))->Get();
    }
    else if (name == "QueueBytes")
    {
        t.queueBytes = DynamicCast<UintegerValue>(CheckedAttributeValue(tid, name, value))->Get();
    }
    else
    {
        return false;
    }
    return true;
}

void
FabricHelper::SetDeviceAttribute(const std::string& name, const AttributeValue& value)
{
    m_deviceFactory.Set(name, value); // checks name and value
    if (name == "Layer1Overhead")
    {
        m_layer1 = CheckedAttributeValue(FabricNetDevice::GetTypeId(), name, value);
    }
    SetTierAttribute(FabricNetDevice::GetTypeId(), FabricLinkTier::ACCESS, name, value);
    SetTierAttribute(FabricNetDevice::GetTypeId(), FabricLinkTier::CORE, name, value);
}

void
FabricHelper::SetDeviceAttribute(FabricLinkTier tier,
                                 const std::string& name,
                                 const AttributeValue& value)
{
    NS_ABORT_MSG_UNLESS(SetTierAttribute(FabricNetDevice::GetTypeId(), tier, name, value),
                        "FabricHelper: only DataRate, Mtu and QueueBytes differ per tier (got \""
                            << name << "\")");
}

void
FabricHelper::SetChannelAttribute(const std::string& name, const AttributeValue& value)
{
    m_channelFactory.Set(name, value);
    SetTierAttribute(FabricChannel::GetTypeId(), FabricLinkTier::ACCESS, name, value);
    SetTierAttribute(FabricChannel::GetTypeId(), FabricLinkTier::CORE, name, value);
}

void
FabricHelper::SetChannelAttribute(FabricLinkTier tier,
                                  const std::string& name,
                                  const AttributeValue& value)
{
    NS_ABORT_MSG_UNLESS(SetTierAttribute(FabricChannel::GetTypeId(), tier, name, value),
                        "FabricHelper: only Delay differs per tier (got \"" << name << "\")");
}

void
FabricHelper::SetRoutingAttribute(const std::string& name, const AttributeValue& value)
{
    m_routingFactory.Set(name, value);
    if (name == "ConvergenceDelay")
    {
        m_convergence = CheckedAttributeValue(RoutingController::GetTypeId(), name, value);
    }
}

FabricConfig
FabricHelper::GetConfig() const
{
    FabricConfig cfg = m_config;
    if (m_convergence)
    {
        cfg.routingConvergence = DynamicCast<TimeValue>(m_convergence)->Get();
    }
    else
    {
        // The attribute's initial value: its default, or what Config::SetDefault made it.
        TypeId::AttributeInformation info;
        RoutingController::GetTypeId().LookupAttributeByName("ConvergenceDelay", &info);
        cfg.routingConvergence = DynamicCast<const TimeValue>(info.initialValue)->Get();
    }
    cfg.layer1Overhead =
        DynamicCast<const BooleanValue>(
            EffectiveAttributeValue(m_layer1, FabricNetDevice::GetTypeId(), "Layer1Overhead"))
            ->Get();
    return cfg;
}

FabricContainer
FabricHelper::Install() const
{
    return Install(static_cast<uint32_t>(RngSeedManager::GetRun()));
}

FabricContainer
FabricHelper::Install(uint32_t seed) const
{
    NS_LOG_FUNCTION(this << seed);
    Ptr<LeafSpineFabric> fabric = CreateObject<LeafSpineFabric>();
    fabric->SetSwitchFactory(m_switchFactory);
    fabric->SetDeviceFactory(m_deviceFactory);
    fabric->SetChannelFactory(m_channelFactory);
    fabric->SetRoutingFactory(m_routingFactory);
    fabric->Build(GetConfig(), seed);

    FabricContainer c;
    c.fabric = fabric;
    for (uint32_t h = 0; h < fabric->GetNumHosts(); ++h)
    {
        c.hosts.Add(fabric->GetHostNode(h));
        for (uint32_t k = 0; k < fabric->GetConfig().uplinksPerHost; ++k)
        {
            c.uplinks.Add(fabric->GetHostUplink(h, k));
        }
    }
    for (const Ptr<FabricNetDevice>& dev : fabric->GetDevices())
    {
        c.devices.Add(dev);
    }
    return c;
}

int64_t
FabricHelper::AssignStreams(const FabricContainer& fabric, int64_t stream) const
{
    return fabric.fabric->AssignStreams(stream);
}

} // namespace ns3
