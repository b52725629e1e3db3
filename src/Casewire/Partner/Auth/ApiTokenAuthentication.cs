using System.Security.Claims;
using System.Text.Encodings.Web;
using Casewire.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Casewire.Partner.Auth;

sealed record AuthenticatedToken(
    int TokenId, string TokenName, string TokenPrefix, int CompanyId, string CompanySlug, string CompanyName,
    string DefaultRegion, string? SenderNumber, string Language = "en");

/// <summary>
/// <c>Authorization: Bearer cw_…</c> (SPEC §1). A missing, malformed, unknown or revoked token is a
/// 401 with <c>WWW-Authenticate: Bearer</c> and a problem body that says nothing about any company.
/// Known tokens come from <see cref="TokenCache"/> and their use is written by <see cref="TokenLastUsed"/>:
/// no statement per request.
/// </summary>
sealed class ApiTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    CasewireDb db,
    Tenant tenant,
    TimeProvider time,
    TokenCache cache,
    TokenLastUsed lastUsed,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "PartnerToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
            return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <token>'.");

        var presented = header["Bearer ".Length..].Trim();
        if (!TokenSecrets.LooksLikeToken(presented))
            return AuthenticateResult.Fail("The bearer token is malformed.");

        var hash = TokenSecrets.Hash(presented);
        var token = await cache.GetAsync(hash, () => db.ApiTokens
            .Where(t => t.Hash == hash && t.RevokedAt == null)
            .Select(t => new AuthenticatedToken(t.Id, t.Name, t.Prefix, t.CompanyId, t.Company.Slug, t.Company.Name,
                t.Company.DefaultRegion, t.Company.SenderNumber, t.Company.Language))
            .FirstOrDefaultAsync(Context.RequestAborted));
        if (token is null)
            return AuthenticateResult.Fail("The bearer token is unknown or revoked.");

        lastUsed.Record(token.TokenId, time.GetUtcNow());

        tenant.Set(token);
        var identity = new ClaimsIdentity(
            [new Claim("company", token.CompanyId.ToString()), new Claim("token", token.TokenPrefix)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers[HeaderNames.WWWAuthenticate] = failure is null
            ? "Bearer"
            : $"Bearer error=\"invalid_token\", error_description=\"{failure.Message}\"";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = failure?.Message
                         ?? "This endpoint needs 'Authorization: Bearer <token>'. Create a token in the Company App " +
                         "(Company Settings → Integrations) or with 'casewire token create'.",
            },
        });
    }
}
