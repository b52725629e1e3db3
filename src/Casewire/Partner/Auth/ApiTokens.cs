using Casewire.Data;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Partner.Auth;

/// <summary>Creating, listing and revoking a company's API tokens (CLI now, Company App later).</summary>
public static class ApiTokens
{
    /// <summary>Creates a token; the returned secret is the only time its full value exists outside the caller.</summary>
    public static async Task<(ApiToken Token, string Secret)> CreateAsync(
        CasewireDb db, int companyId, string name, DateTimeOffset now, CancellationToken ct)
    {
        var secret = TokenSecrets.NewToken();
        var token = db.ApiTokens.Add(new ApiToken
        {
            CompanyId = companyId,
            Name = name.Trim(),
            Prefix = TokenSecrets.PrefixOf(secret),
            Hash = TokenSecrets.Hash(secret),
            CreatedAt = now,
        }).Entity;
        await db.SaveChangesAsync(ct);
        return (token, secret);
    }

    public static Task<List<ApiToken>> ListAsync(CasewireDb db, int companyId, CancellationToken ct) =>
        db.ApiTokens.AsNoTracking().Where(t => t.CompanyId == companyId).OrderBy(t => t.Id).ToListAsync(ct);

    public enum RevokeOutcome { Revoked, AlreadyRevoked, NotFound, Ambiguous }

    /// <summary>Revokes the one token of the company whose prefix starts with <paramref name="prefix"/>.</summary>
    public static async Task<RevokeOutcome> RevokeAsync(CasewireDb db, int companyId, string prefix, DateTimeOffset now, CancellationToken ct)
    {
        prefix = prefix.Trim();
        if (prefix.Length == 0) return RevokeOutcome.NotFound;
        var matches = await db.ApiTokens.Where(t => t.CompanyId == companyId && t.Prefix.StartsWith(prefix)).Take(2).ToListAsync(ct);
        if (matches.Count == 0) return RevokeOutcome.NotFound;
        if (matches.Count > 1) return RevokeOutcome.Ambiguous;
        if (matches[0].RevokedAt is not null) return RevokeOutcome.AlreadyRevoked;
        matches[0].RevokedAt = now;
        await db.SaveChangesAsync(ct);
        return RevokeOutcome.Revoked;
    }
}
