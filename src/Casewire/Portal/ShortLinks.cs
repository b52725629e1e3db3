using System.Security.Cryptography;
using System.Text;
using Casewire.Data;
using Casewire.Model;
using Casewire.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Casewire.Portal;

/// <summary>
/// The portal link every client-facing text carries (SPEC §11): <c>{base}/p/{code}</c>, the code
/// <see cref="CodeLength"/> random base62 characters (59.5 bits), stored only as its SHA-256 with the client,
/// the case, the expiry (<c>Portal:LinkLifetime</c>) and the company's link version. About 40 characters where
/// the signed link took 170, so a welcome fits two SMS segments. Every text builder calls <see cref="Issue"/>.
/// </summary>
sealed class ShortLinks(CasewireDb db, PortalLinks links, IOptions<PortalOptions> options, TimeProvider time)
{
    public const int CodeLength = 10;
    public const string PathPrefix = "/p/";
    const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>A new link to <paramref name="projectId"/> for one of its clients; the row joins the caller's unit of work (the caller saves).</summary>
    public string Issue(Company company, int projectId, int contactId)
    {
        var code = NewCode();
        var now = time.GetUtcNow().TruncateToMilliseconds();
        db.PortalShortLinks.Add(new PortalShortLink
        {
            CompanyId = company.Id, ProjectId = projectId, ContactId = contactId, CodeHash = Hash(code), LinkVersion = company.PortalLinkVersion,
            IssuedAt = now, ExpiresAt = now + options.Value.LinkLifetime,
        });
        return UrlOf(company, code);
    }

    /// <summary>A link as long as a real one that opens nothing: for previews of a text.</summary>
    public string Sample(Company company) => UrlOf(company, NewCode());

    /// <summary>The stored link a code names, or null when it is not one of ours (expiry and revocation are the caller's).</summary>
    public async Task<PortalShortLink?> FindAsync(string? code, CancellationToken ct)
    {
        if (code is null || code.Length != CodeLength || !code.All(c => Base62.Contains(c))) return null;
        var hash = Hash(code);
        return await db.PortalShortLinks.AsNoTracking().FirstOrDefaultAsync(l => l.CodeHash == hash, ct);
    }

    string UrlOf(Company company, string code) => $"{links.BaseUrlOf(company)}{PathPrefix}{code}";

    static string NewCode() => RandomNumberGenerator.GetString(Base62, CodeLength);

    static byte[] Hash(string code) => SHA256.HashData(Encoding.ASCII.GetBytes(code));
}
