using System.Security.Cryptography;
using Casewire.Model;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Casewire.Portal;

/// <summary>
/// A client's personal portal link (SPEC §6, §8): <c>{base}/portal/{token}</c>, where the token is the
/// company, project and contact ids and the time it was issued, encrypted and signed by ASP.NET Core
/// Data Protection. It cannot be guessed or altered, and it names exactly one client of one case.
/// Links do not expire: a case runs for years and the welcome text is the client's way back in.
/// </summary>
public sealed class PortalLinks(IDataProtectionProvider protection, IOptions<PortalOptions> options, TimeProvider time)
{
    /// <summary>Versioned so that a future token layout gets its own keys' purpose and old links keep working.</summary>
    public const string Purpose = "Casewire.Portal.v1";

    readonly IDataProtector _protector = protection.CreateProtector(Purpose);

    public string For(Company company, int projectId, int contactId) =>
        $"{BaseUrlOf(company)}/portal/{TokenFor(company.Id, projectId, contactId)}";

    /// <summary>The company's own portal address, else <c>Casewire:PublicBaseUrl</c>, else <c>Portal:FallbackBaseUrl</c>.</summary>
    public string BaseUrlOf(Company company) =>
        (company.PortalBaseUrl ?? options.Value.PublicBaseUrl ?? options.Value.FallbackBaseUrl).TrimEnd('/');

    public string TokenFor(int companyId, int projectId, int contactId)
    {
        // Compact on purpose: the link is part of a text message, and every 7 characters cost.
        using var plain = new MemoryStream();
        using (var writer = new BinaryWriter(plain))
        {
            writer.Write7BitEncodedInt(companyId);
            writer.Write7BitEncodedInt(projectId);
            writer.Write7BitEncodedInt(contactId);
            writer.Write7BitEncodedInt64(time.GetUtcNow().ToUnixTimeSeconds());
        }
        return WebEncoders.Base64UrlEncode(_protector.Protect(plain.ToArray()));
    }

    /// <summary>What a token grants, or null when it is malformed, altered or not ours.</summary>
    public PortalAccess? Read(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 1000) return null;
        try
        {
            using var reader = new BinaryReader(new MemoryStream(_protector.Unprotect(WebEncoders.Base64UrlDecode(token))));
            return new PortalAccess(reader.Read7BitEncodedInt(), reader.Read7BitEncodedInt(), reader.Read7BitEncodedInt(),
                DateTimeOffset.FromUnixTimeSeconds(reader.Read7BitEncodedInt64()));
        }
        catch (Exception e) when (e is CryptographicException or FormatException or EndOfStreamException or ArgumentException)
        {
            return null;
        }
    }
}

/// <summary>One client's access to one case, as a portal token grants it.</summary>
public sealed record PortalAccess(int CompanyId, int ProjectId, int ContactId, DateTimeOffset IssuedAt);

public sealed class PortalOptions
{
    /// <summary><c>Casewire:PublicBaseUrl</c>: the externally visible address of this installation.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// Used when neither the company nor <c>Casewire:PublicBaseUrl</c> gives an address: a text needs an
    /// absolute link. Right for a developer's machine only; set <c>Casewire:PublicBaseUrl</c> in production.
    /// </summary>
    public string FallbackBaseUrl { get; set; } = "http://localhost:5000";
}
