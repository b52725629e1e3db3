using System.Net;
using Casewire.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Portal;

/// <summary>
/// <c>GET /portal/{token}</c> (SPEC §8). Until the client portal exists (issue 7) a signed link opens a
/// holding page, so the links in welcome texts work from the first day; a bad or altered token, or a
/// client no longer on the case, is a 404 that says nothing more.
/// </summary>
public static class PortalPage
{
    public static IHostApplicationBuilder AddPortal(this IHostApplicationBuilder builder)
    {
        // Keys live in the database: every instance reads the same ring, and links survive restarts and
        // redeployments (the application name, not the install folder, scopes them).
        builder.Services.AddDataProtection().SetApplicationName("Casewire").PersistKeysToDbContext<CasewireDb>();
        builder.Services.AddOptions<PortalOptions>().BindConfiguration("Portal")
            .Configure<IConfiguration>((o, config) => o.PublicBaseUrl ??= config["Casewire:PublicBaseUrl"])
            .Validate(o => IsAbsoluteHttp(o.FallbackBaseUrl) && (o.PublicBaseUrl is null || IsAbsoluteHttp(o.PublicBaseUrl)),
                "Casewire:PublicBaseUrl and Portal:FallbackBaseUrl must be absolute http(s) URLs, e.g. https://casewire.example.com.")
            .ValidateOnStart();
        builder.Services.AddSingleton<PortalLinks>();
        return builder;
    }

    public static IEndpointRouteBuilder MapPortal(this IEndpointRouteBuilder app)
    {
        app.MapGet("/portal/{token}", Show).ExcludeFromDescription();
        return app;
    }

    public static bool IsAbsoluteHttp(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    static async Task<IResult> Show(string token, PortalLinks links, CasewireDb db, HttpContext http, CancellationToken ct)
    {
        // The token is a credential in the URL: keep it out of caches, referrers and search engines.
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        http.Response.Headers["X-Robots-Tag"] = "noindex";

        var access = links.Read(token);
        var page = access is null ? null : await db.Projects.AsNoTracking()
            .Where(p => p.Id == access.ProjectId && p.CompanyId == access.CompanyId)
            .SelectMany(p => p.Clients.Where(c => c.ContactId == access.ContactId),
                (p, c) => new { Case = p.Name, c.Contact.FirstName, Firm = db.Companies.First(f => f.Id == p.CompanyId).Name })
            .FirstOrDefaultAsync(ct);
        if (page is null)
            return Results.Content(Html("Link not found", "<p>This link is not valid. Please use the latest link your law firm sent you.</p>"),
                "text/html", statusCode: StatusCodes.Status404NotFound);

        return Results.Content(Html(page.Firm, $"""
            <p>Hello {WebUtility.HtmlEncode(page.FirstName)},</p>
            <p>Your case tracker for <strong>{WebUtility.HtmlEncode(page.Case)}</strong> is coming soon.
            {WebUtility.HtmlEncode(page.Firm)} will keep you posted by text and email in the meantime.</p>
            """), "text/html");
    }

    static string Html(string title, string body) => $"""
        <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{WebUtility.HtmlEncode(title)}</title></head>
        <body style="font-family:system-ui;max-width:36rem;margin:3rem auto;padding:0 1rem">
        <h1>{WebUtility.HtmlEncode(title)}</h1>{body}</body></html>
        """;
}
