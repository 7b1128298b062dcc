#ifndef OVERLAY_FABRIC_HELPER_ATTRIBUTES_H
#define OVERLAY_FABRIC_HELPER_ATTRIBUTES_H

#include "ns3/attribute.h"
#include "ns3/type-id.h"

#include <string>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief What the helpers do with an Attribute value set on them that also feeds the config
 * they build from (a tier's DataRate, the VTEP's Encapsulation...).
 * \param tid a TypeId
 * \param name one of its attributes
 * \param value a value for it
 * \return \p value converted by the attribute's checker (a StringValue becomes a TimeValue...);
 * aborts naming the attribute if it does not exist or the value is invalid
 */
Ptr<AttributeValue> CheckedAttributeValue(TypeId tid,
                                          const std::string& name,
                                          const AttributeValue& value);

/**
 * \param set the value set on the helper, or null
 * \param tid the TypeId
 * \param name the attribute
 * \return \p set, else the attribute's initial value (its default or Config::SetDefault's)
 */
Ptr<const AttributeValue> EffectiveAttributeValue(Ptr<const AttributeValue> set,
                                                  TypeId tid,
                                                  const std::string& name);

} // namespace ns3

#endif
