using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Casewire.Portal;

/// <summary>
/// The client portal (SPEC §8, §11): <c>/p/{code}</c> and <c>/portal/{token}</c>, Razor Pages under <c>Portal/Pages</c> (mapped with the
/// Company App's pages), anonymous — the signed link is the credential — and never cached, indexed or
/// leaked through a Referer.
/// </summary>
static class PortalPage
{
    public const string PagesRoot = "/Portal/Pages";

    public static IHostApplicationBuilder AddPortal(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PortalOptions>().BindConfiguration("Portal")
            .Validate(o => o.LinkLifetime > TimeSpan.Zero, "Portal:LinkLifetime must be positive, e.g. 90.00:00:00 (90 days).")
            .ValidateOnStart();
        builder.Services.AddSingleton<PortalLinks>();
        builder.Services.AddScoped<ShortLinks>();
        builder.Services.AddScoped<FreshLinks>();
        builder.Services.AddScoped<SharedDocuments>();
        builder.Services.AddScoped<PortalDocuments>();
        builder.Services.Configure<RazorPagesOptions>(o =>
        {
            o.Conventions.AllowAnonymousToFolder(PagesRoot);
            o.Conventions.AddPageRoute(PagesRoot + "/Case", Pages.CaseModel.ShortRoute);
            o.Conventions.AddPageRoute(PagesRoot + "/Documents", Pages.DocumentsModel.ShortRoute);
            o.Conventions.AddFolderApplicationModelConvention(PagesRoot, page => page.Filters.Add(new PrivateResponses()));
        });
        return builder;
    }

    /// <summary>
    /// The token is a credential in the URL: keep it out of caches, referrers and search engines. A result
    /// filter that always runs, so even a refused form (antiforgery 400) carries the headers; set as the
    /// response starts, after the form's antiforgery token has written its own cache headers.
    /// </summary>
    sealed class PrivateResponses : IAlwaysRunResultFilter
    {
        public void OnResultExecuting(ResultExecutingContext context)
        {
            var response = context.HttpContext.Response;
            response.OnStarting(() =>
            {
                response.Headers.CacheControl = "no-store";
                response.Headers["Referrer-Policy"] = "no-referrer";
                response.Headers["X-Robots-Tag"] = "noindex";
                return Task.CompletedTask;
            });
        }

        public void OnResultExecuted(ResultExecutedContext context) { }
    }
}
