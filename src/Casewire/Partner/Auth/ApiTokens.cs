using Casewire.Data;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Partner.Auth;

/// <summary>Creating, listing and revoking a company's API tokens (the CLI's <c>token</c> commands and Settings → Integrations).</summary>
static class ApiTokens
{
    /// <summary>Why <paramref name="name"/> cannot name a token, or null when it can (non-blank, at most 255 characters).</summary>
    public static string? NameProblem(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "A token needs a name that says what uses it, e.g. \"Clio sync\"."
        : name.Trim().Length > Limits.Name ? $"The name is {name.Trim().Length} characters long; at most {Limits.Name} are accepted."
        : null;

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
        db.ApiTokens.AsNoTracking().ForCompany(companyId).OrderBy(t => t.Id).ToListAsync(ct);

    public enum RevokeOutcome { Revoked, AlreadyRevoked, NotFound, Ambiguous }

    /// <summary>Revokes a token by its id; a token of another company is <see cref="RevokeOutcome.NotFound"/>.</summary>
    public static async Task<RevokeOutcome> RevokeAsync(CasewireDb db, int companyId, int tokenId, DateTimeOffset now, CancellationToken ct)
    {
        var token = await db.ApiTokens.ForCompany(companyId).FirstOrDefaultAsync(t => t.Id == tokenId, ct);
        if (token is null) return RevokeOutcome.NotFound;
        if (token.RevokedAt is not null) return RevokeOutcome.AlreadyRevoked;
        token.RevokedAt = now;
        await db.SaveChangesAsync(ct);
        return RevokeOutcome.Revoked;
    }

    /// <summary>Revokes the one token of the company whose prefix starts with <paramref name="prefix"/>.</summary>
    public static async Task<RevokeOutcome> RevokeAsync(CasewireDb db, int companyId, string prefix, DateTimeOffset now, CancellationToken ct)
    {
        prefix = prefix.Trim();
        if (prefix.Length == 0) return RevokeOutcome.NotFound;
        var matches = await db.ApiTokens.ForCompany(companyId).Where(t => t.Prefix.StartsWith(prefix)).Take(2).ToListAsync(ct);
        if (matches.Count == 0) return RevokeOutcome.NotFound;
        if (matches.Count > 1) return RevokeOutcome.Ambiguous;
        if (matches[0].RevokedAt is not null) return RevokeOutcome.AlreadyRevoked;
        matches[0].RevokedAt = now;
        await db.SaveChangesAsync(ct);
        return RevokeOutcome.Revoked;
    }
}
