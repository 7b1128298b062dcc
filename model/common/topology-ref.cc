#include "topology-ref.h"

#include <cctype>
#include <limits>
#include <tuple>

namespace ns3
{

namespace
{

/**
 * \brief Read a literal at text[pos], advancing pos.
 * \return whether the literal was there
 */
bool
ReadLiteral(const std::string& text, size_t& pos, const char* literal)
{
    std::string lit(literal);
    if (text.compare(pos, lit.size(), lit) != 0)
    {
        return false;
    }
    pos += lit.size();
    return true;
}

/**
 * \brief Read a decimal index (no sign, no leading zero, fits 32 bits) at text[pos].
 * \return whether an index was there
 */
bool
ReadIndex(const std::string& text, size_t& pos, uint32_t& value)
{
    size_t start = pos;
    uint64_t v = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])))
    {
        v = v * 10 + (text[pos] - '0');
        if (v > std::numeric_limits<uint32_t>::max())
        {
            return false;
        }
        ++pos;
    }
    if (pos == start || (text[start] == '0' && pos - start > 1))
    {
        return false;
    }
    value = static_cast<uint32_t>(v);
    return true;
}

/// \return whether text is exactly "<a><N><b><M>"
bool
ParseTwoIndices(const std::string& text, const char* a, const char* b, uint32_t& n, uint32_t& m)
{
    size_t pos = 0;
    return ReadLiteral(text, pos, a) && ReadIndex(text, pos, n) && ReadLiteral(text, pos, b) &&
           ReadIndex(text, pos, m) && pos == text.size();
}

} // namespace

std::optional<uint32_t>
ParseIndex(const std::string& text)
{
    size_t pos = 0;
    uint32_t value = 0;
    if (ReadIndex(text, pos, value) && pos == text.size())
    {
        return value;
    }
    return std::nullopt;
}

HostRef::HostRef(uint32_t host)
    : m_host(host)
{
}

HostRef::HostRef(const std::string& text)
{
    if (auto ref = Parse(text))
    {
        *this = *ref;
    }
    else
    {
        m_valid = false;
        m_text = text;
    }
}

std::string
HostRef::Format() const
{
    return m_valid ? "host" + std::to_string(m_host) : m_text;
}

std::optional<HostRef>
HostRef::Parse(const std::string& text)
{
    size_t pos = 0;
    uint32_t host = 0;
    if (ReadLiteral(text, pos, "host") && ReadIndex(text, pos, host) && pos == text.size())
    {
        return HostRef(host);
    }
    return std::nullopt;
}

VmRef::VmRef(uint32_t host, uint32_t vm)
    : m_host(host),
      m_vm(vm),
      m_valid(true)
{
}

VmRef::VmRef(const std::string& text)
{
    if (auto ref = Parse(text))
    {
        *this = *ref;
    }
    else
    {
        m_text = text;
    }
}

VmRef::VmRef(const char* text)
    : VmRef(std::string(text))
{
}

std::optional<VmRef>
VmRef::Parse(const std::string& text)
{
    uint32_t host = 0;
    uint32_t vm = 0;
    if (ParseTwoIndices(text, "host", "/vm", host, vm))
    {
        return VmRef(host, vm);
    }
    return std::nullopt;
}

std::string
VmRef::Format() const
{
    return m_valid ? "host" + std::to_string(m_host) + "/vm" + std::to_string(m_vm) : m_text;
}

bool
VmRef::operator==(const VmRef& o) const
{
    return std::tie(m_valid, m_host, m_vm, m_text) ==
           std::tie(o.m_valid, o.m_host, o.m_vm, o.m_text);
}

bool
VmRef::operator<(const VmRef& o) const
{
    return std::tie(m_valid, m_host, m_vm, m_text) <
           std::tie(o.m_valid, o.m_host, o.m_vm, o.m_text);
}

LinkRef::LinkRef(Kind kind, uint32_t a, uint32_t b)
    : m_kind(kind),
      m_a(a),
      m_b(b),
      m_valid(true)
{
}

LinkRef::LinkRef(const std::string& text)
{
    if (auto ref = Parse(text))
    {
        *this = *ref;
    }
    else
    {
        m_text = text;
    }
}

LinkRef::LinkRef(const char* text)
    : LinkRef(std::string(text))
{
}

std::optional<LinkRef>
LinkRef::Parse(const std::string& text)
{
    uint32_t a = 0;
    uint32_t b = 0;
    if (ParseTwoIndices(text, "host", "/uplink", a, b))
    {
        return LinkRef(Kind::HOST_UPLINK, a, b);
    }
    if (ParseTwoIndices(text, "leaf", "-spine", a, b))
    {
        return LinkRef(Kind::LEAF_SPINE, a, b);
    }
    return std::nullopt;
}

std::string
LinkRef::Format() const
{
    if (!m_valid)
    {
        return m_text;
    }
    return m_kind == Kind::HOST_UPLINK
               ? "host" + std::to_string(m_a) + "/uplink" + std::to_string(m_b)
               : "leaf" + std::to_string(m_a) + "-spine" + std::to_string(m_b);
}

bool
LinkRef::operator==(const LinkRef& o) const
{
    return std::tie(m_valid, m_kind, m_a, m_b, m_text) ==
           std::tie(o.m_valid, o.m_kind, o.m_a, o.m_b, o.m_text);
}

bool
LinkRef::operator<(const LinkRef& o) const
{
    return std::tie(m_valid, m_kind, m_a, m_b, m_text) <
           std::tie(o.m_valid, o.m_kind, o.m_a, o.m_b, o.m_text);
}

} // namespace ns3
