#include "overlay-helper.h"

#include "helper-attributes.h"
#include "leaf-spine-topology.h"
#include "uplink-selector.h"
#include "virtual-switch.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("OverlayHelper");

OverlayHelper::OverlayHelper()
    : m_vtepFactory("ns3::Vtep"),
      m_virtualSwitchFactory("ns3::VirtualSwitch"),
      m_uplinkSelectorFactory("ns3::UplinkSelector")
{
}

void
OverlayHelper::SetVtepAttribute(const std::string& name, const AttributeValue& value)
{
    m_vtepFactory.Set(name, value);
    if (name == "Encapsulation")
    {
        m_encapsulation = CheckedAttributeValue(Vtep::GetTypeId(), name, value);
    }
}

void
OverlayHelper::SetVirtualSwitchAttribute(const std::string& name, const AttributeValue& value)
{
    m_virtualSwitchFactory.Set(name, value);
}

void
OverlayHelper::SetUplinkSelectorAttribute(const std::string& name, const AttributeValue& value)
{
    m_uplinkSelectorFactory.Set(name, value);
    if (name == "Policy")
    {
        m_policy = CheckedAttributeValue(UplinkSelector::GetTypeId(), name, value);
    }
    else if (name == "PreferredUplink")
    {
        m_preferredUplink = CheckedAttributeValue(UplinkSelector::GetTypeId(), name, value);
    }
    else if (name == "PathReselection")
    {
        m_pathReselection = CheckedAttributeValue(UplinkSelector::GetTypeId(), name, value);
    }
}

OverlayConfig
OverlayHelper::GetConfig(const std::vector<SegmentConfig>& segments) const
{
    OverlayConfig cfg;
    const int encap =
        DynamicCast<const EnumValue>(
            EffectiveAttributeValue(m_encapsulation, Vtep::GetTypeId(), "Encapsulation"))
            ->Get();
    cfg.encap = static_cast<Encapsulation>(encap);
    cfg.policy = static_cast<UplinkPolicy>(
        DynamicCast<const EnumValue>(
            EffectiveAttributeValue(m_policy, UplinkSelector::GetTypeId(), "Policy"))
            ->Get());
    cfg.preferredUplink = static_cast<uint32_t>(
        DynamicCast<const UintegerValue>(EffectiveAttributeValue(m_preferredUplink,
                                                                 UplinkSelector::GetTypeId(),
                                                                 "PreferredUplink"))
            ->Get());
    cfg.pathReselection =
        DynamicCast<const BooleanValue>(EffectiveAttributeValue(m_pathReselection,
                                                                UplinkSelector::GetTypeId(),
                                                                "PathReselection"))
            ->Get();
    cfg.segments = segments;
    return cfg;
}

OverlayContainer
OverlayHelper::Install(Ptr<LeafSpineFabric> fabric,
                       const std::vector<SegmentConfig>& segments) const
{
    NS_LOG_FUNCTION(this << fabric);
    const OverlayConfig cfg = GetConfig(segments);
    // The scenario checks: VM names, hosts in range, VNIs, each VM on one segment, the
    // preferred uplink. Monitoring counts as on: the monitors are installed afterwards.
    ScenarioConfig check;
    check.fabric = fabric->GetConfig();
    check.overlay = cfg;
    check.monitoring.enabled = true;
    check.monitoring.coverEcmpPaths = true; // re-selection acts once monitors give it paths
    check.Validate();

    Ptr<OverlayNetwork> overlay = CreateObject<OverlayNetwork>();
    overlay->SetVtepFactory(m_vtepFactory);
    overlay->SetVirtualSwitchFactory(m_virtualSwitchFactory);
    overlay->SetUplinkSelectorFactory(m_uplinkSelectorFactory);
    overlay->Build(cfg, fabric);

    OverlayContainer c;
    c.overlay = overlay;
    for (uint32_t h = 0; h < overlay->GetHostCount(); ++h)
    {
        c.vteps.push_back(overlay->GetVtep(h));
    }
    for (const auto& vm : overlay->GetVms())
    {
        c.vms.Add(vm.node);
    }
    return c;
}

OverlayContainer
OverlayHelper::Install(const FabricContainer& fabric,
                       const std::vector<SegmentConfig>& segments) const
{
    return Install(fabric.fabric, segments);
}

} // namespace ns3
