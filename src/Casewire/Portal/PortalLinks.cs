using System.Security.Cryptography;
using Casewire.Hosting;
using Casewire.Model;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Casewire.Portal;

/// <summary>
/// A client's personal portal link (SPEC §6, §8): <c>{base}/portal/{token}</c>, where the token is the
/// company, project and contact ids, the time it was issued and the company's link version, encrypted
/// and signed by ASP.NET Core Data Protection. It cannot be guessed or altered, it names exactly one
/// client of one case, it expires <c>Portal:LinkLifetime</c> after it was issued, and raising
/// <see cref="Company.PortalLinkVersion"/> revokes every link issued before.
/// </summary>
sealed class PortalLinks(IDataProtectionProvider protection, IOptions<PortalOptions> options, IOptions<PublicUrlOptions> urls, TimeProvider time)
{
    /// <summary>Versioned so that a future token layout gets its own keys' purpose and old links keep working.</summary>
    public const string Purpose = "Casewire.Portal.v1";

    readonly IDataProtector _protector = protection.CreateProtector(Purpose);

    public string For(Company company, int projectId, int contactId) =>
        $"{BaseUrlOf(company)}/portal/{TokenFor(company, projectId, contactId)}";

    /// <summary>The company's own portal address, else <c>Casewire:PublicBaseUrl</c>, else <c>Portal:FallbackBaseUrl</c>.</summary>
    public string BaseUrlOf(Company company) =>
        company.PortalBaseUrl?.TrimEnd('/') ?? urls.Value.BaseUrl;

    public string TokenFor(Company company, int projectId, int contactId)
    {
        // Compact on purpose: the link is part of a text message, and every 7 characters cost. The version
        // comes last so that links issued before it existed (four fields) still read, as version 1.
        using var plain = new MemoryStream();
        using (var writer = new BinaryWriter(plain))
        {
            writer.Write7BitEncodedInt(company.Id);
            writer.Write7BitEncodedInt(projectId);
            writer.Write7BitEncodedInt(contactId);
            writer.Write7BitEncodedInt64(time.GetUtcNow().ToUnixTimeSeconds());
            writer.Write7BitEncodedInt(company.PortalLinkVersion);
        }
        return WebEncoders.Base64UrlEncode(_protector.Protect(plain.ToArray()));
    }

    /// <summary>What a token names, or null when it is malformed, altered or not ours. Expiry and revocation are not checked here.</summary>
    public PortalAccess? Read(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 1000) return null;
        try
        {
            var stream = new MemoryStream(_protector.Unprotect(WebEncoders.Base64UrlDecode(token)));
            using var reader = new BinaryReader(stream);
            var (companyId, projectId, contactId) = (reader.Read7BitEncodedInt(), reader.Read7BitEncodedInt(), reader.Read7BitEncodedInt());
            var issuedAt = DateTimeOffset.FromUnixTimeSeconds(reader.Read7BitEncodedInt64());
            var version = stream.Position < stream.Length ? reader.Read7BitEncodedInt() : 1;
            return stream.Position == stream.Length ? new PortalAccess(companyId, projectId, contactId, issuedAt, version) : null;
        }
        catch (Exception e) when (e is CryptographicException or FormatException or EndOfStreamException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>True once the link has lived <c>Portal:LinkLifetime</c>.</summary>
    public bool HasExpired(PortalAccess access) => time.GetUtcNow() >= access.IssuedAt + options.Value.LinkLifetime;
}

/// <summary>One client's access to one case, as a portal token grants it.</summary>
sealed record PortalAccess(int CompanyId, int ProjectId, int ContactId, DateTimeOffset IssuedAt, int LinkVersion);

sealed class PortalOptions
{
    /// <summary>
    /// How long a link works after it was issued (<c>Portal:LinkLifetime</c>). A link travels in texts, which
    /// are forwarded, backed up and read on shared phones: a quarter is long enough for a client to come back
    /// between two updates, short enough that an old text stops opening the case.
    /// </summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromDays(90);
}
