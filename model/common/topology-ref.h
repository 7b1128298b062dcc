#ifndef OVERLAY_FABRIC_TOPOLOGY_REF_H
#define OVERLAY_FABRIC_TOPOLOGY_REF_H

#include <cstdint>
#include <fmt/format.h>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <type_traits>

namespace ns3
{

/**
 * \brief Parse an index as names write it: decimal, no sign, no leading zero, fits 32 bits.
 * \param text the text, e.g. "12"
 * \return the index, or nothing when \p text is not one
 */
std::optional<uint32_t> ParseIndex(const std::string& text);

/**
 * \ingroup overlay-fabric
 * \brief Typed references to the things a scenario names: hosts ("host3"), VMs ("host3/vm0") and
 * links ("host3/uplink1", "leaf2-spine0").
 *
 * A name is parsed once, where it enters (the scenario file, Python, a program's own strings),
 * into one of these; everything downstream uses the indices and never parses a name again.
 * Indices are decimal without sign or leading zeros and fit 32 bits. A reference built from text
 * that is not such a name is invalid: it keeps the text only so that validation can say what was
 * written (Validate() refuses it with the fabric's ranges in the message).
 */
class HostRef
{
  public:
    HostRef() = default;

    /// \param host host index
    explicit HostRef(uint32_t host);

    /// \param text a host name; the reference is invalid if it is not one (see IsValid())
    explicit HostRef(const std::string& text);

    /// \return whether this names a host (always, unless built from text that is not a name)
    bool IsValid() const
    {
        return m_valid;
    }

    /// \return "host<N>", or the text it was built from when invalid
    std::string Format() const;

    /// \return the reference, or nothing when \p text is not "host<N>"
    static std::optional<HostRef> Parse(const std::string& text);

    /// \return the host index
    uint32_t GetIndex() const
    {
        return m_host;
    }

    bool operator==(const HostRef& o) const
    {
        return m_valid == o.m_valid && m_host == o.m_host && m_text == o.m_text;
    }

    bool operator<(const HostRef& o) const
    {
        return m_host < o.m_host;
    }

  private:
    uint32_t m_host{0}; //!< host index
    bool m_valid{true}; //!< whether it names a host
    std::string m_text; //!< what was written, kept only when invalid
};

/// \brief A VM, "host<N>/vm<M>": the M-th VM of host N.
class VmRef
{
  public:
    /// An invalid reference (no VM).
    VmRef() = default;

    /**
     * \param host host index
     * \param vm VM index on that host
     */
    VmRef(uint32_t host, uint32_t vm);

    /// \param text a VM name; the reference is invalid if it is not one (see IsValid())
    VmRef(const std::string& text);

    /// \param text a VM name
    VmRef(const char* text);

    /// \return the reference, or nothing when \p text is not "host<N>/vm<M>"
    static std::optional<VmRef> Parse(const std::string& text);

    /// \return whether this names a VM
    bool IsValid() const
    {
        return m_valid;
    }

    /// \return "host<N>/vm<M>", or the text it was built from when invalid
    std::string Format() const;

    /// \return the host (valid references only)
    HostRef GetHost() const
    {
        return HostRef(m_host);
    }

    /// \return the host index (valid references only)
    uint32_t GetHostIndex() const
    {
        return m_host;
    }

    /// \return the VM index on its host (valid references only)
    uint32_t GetVmIndex() const
    {
        return m_vm;
    }

    bool operator==(const VmRef& o) const;

    bool operator!=(const VmRef& o) const
    {
        return !(*this == o);
    }

    bool operator<(const VmRef& o) const;

  private:
    uint32_t m_host{0};  //!< host index
    uint32_t m_vm{0};    //!< VM index on the host
    bool m_valid{false}; //!< whether it names a VM
    std::string m_text;  //!< what was written, kept only when invalid
};

/// \brief A link of the leaf-spine fabric: a host's uplink or a leaf-spine link.
class LinkRef
{
  public:
    /// What kind of link.
    enum class Kind : uint8_t
    {
        HOST_UPLINK, //!< "host<N>/uplink<K>": host N's K-th uplink (first-named end: the host)
        LEAF_SPINE   //!< "leaf<L>-spine<S>" (first-named end: the leaf)
    };

    /// An invalid reference (no link).
    LinkRef() = default;

    /**
     * \param kind what kind of link
     * \param a host index (HOST_UPLINK) or leaf index (LEAF_SPINE)
     * \param b uplink index (HOST_UPLINK) or spine index (LEAF_SPINE)
     */
    LinkRef(Kind kind, uint32_t a, uint32_t b);

    /// \param text a link name; the reference is invalid if it is not one
    LinkRef(const std::string& text);

    /// \param text a link name
    LinkRef(const char* text);

    /// \return the reference, or nothing when \p text is not a link name
    static std::optional<LinkRef> Parse(const std::string& text);

    /// \return whether this names a link
    bool IsValid() const
    {
        return m_valid;
    }

    /// \return "host<N>/uplink<K>" or "leaf<L>-spine<S>", or the text it was built from
    std::string Format() const;

    /// \return the kind (valid references only)
    Kind GetKind() const
    {
        return m_kind;
    }

    /// \return whether it is a host's uplink
    bool IsHostUplink() const
    {
        return m_valid && m_kind == Kind::HOST_UPLINK;
    }

    /// \return the host index (HOST_UPLINK) or the leaf index (LEAF_SPINE)
    uint32_t GetFirst() const
    {
        return m_a;
    }

    /// \return the uplink index (HOST_UPLINK) or the spine index (LEAF_SPINE)
    uint32_t GetSecond() const
    {
        return m_b;
    }

    bool operator==(const LinkRef& o) const;

    bool operator!=(const LinkRef& o) const
    {
        return !(*this == o);
    }

    bool operator<(const LinkRef& o) const;

  private:
    Kind m_kind{Kind::HOST_UPLINK}; //!< kind
    uint32_t m_a{0};                //!< host or leaf index
    uint32_t m_b{0};                //!< uplink or spine index
    bool m_valid{false};            //!< whether it names a link
    std::string m_text;             //!< what was written, kept only when invalid
};

inline std::ostream&
operator<<(std::ostream& os, const HostRef& r)
{
    return os << r.Format();
}

inline std::ostream&
operator<<(std::ostream& os, const VmRef& r)
{
    return os << r.Format();
}

inline std::ostream&
operator<<(std::ostream& os, const LinkRef& r)
{
    return os << r.Format();
}

} // namespace ns3

/// fmt prints a reference as its name.
template <class R>
struct fmt::formatter<
    R,
    char,
    std::enable_if_t<std::is_same_v<R, ns3::HostRef> || std::is_same_v<R, ns3::VmRef> ||
                     std::is_same_v<R, ns3::LinkRef>>> : fmt::formatter<std::string>
{
    template <class FormatContext>
    auto format(const R& r, FormatContext& ctx) const
    {
        return fmt::formatter<std::string>::format(r.Format(), ctx);
    }
};

#endif
