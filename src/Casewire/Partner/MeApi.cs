using Casewire.Partner.Auth;

namespace Casewire.Partner;

sealed record MeResponse(CompanyInfo Company, TokenInfo Token);
sealed record CompanyInfo(string Slug, string Name);
sealed record TokenInfo(string Name, string Prefix);

/// <summary>SPEC §9 extension: <c>GET /partner/v2/me</c>, what a CMS's "test connection" button calls.</summary>
static class MeApi
{
    public static RouteGroupBuilder MapMe(this RouteGroupBuilder api)
    {
        api.MapGet("/me", (Tenant tenant) => TypedResults.Ok(new MeResponse(
                new CompanyInfo(tenant.CompanySlug, tenant.CompanyName),
                new TokenInfo(tenant.TokenName, tenant.TokenPrefix))))
            .WithName("GetMe").WithSummary("The company and token this request is authenticated as").MarkAsExtension();
        return api;
    }
}
