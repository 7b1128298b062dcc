#include "helper-attributes.h"

#include "ns3/abort.h"

namespace ns3
{

Ptr<AttributeValue>
CheckedAttributeValue(TypeId tid, const std::string& name, const AttributeValue& value)
{
    TypeId::AttributeInformation info;
    NS_ABORT_MSG_UNLESS(tid.LookupAttributeByName(name, &info),
                        tid.GetName() << " has no attribute \"" << name << "\"");
    Ptr<AttributeValue> v = info.checker->CreateValidValue(value);
    NS_ABORT_MSG_IF(!v, "invalid value for " << tid.GetName() << "::" << name);
    return v;
}

Ptr<const AttributeValue>
EffectiveAttributeValue(Ptr<const AttributeValue> set, TypeId tid, const std::string& name)
{
    if (set)
    {
        return set;
    }
    TypeId::AttributeInformation info;
    tid.LookupAttributeByName(name, &info);
    return info.initialValue;
}

} // namespace ns3
