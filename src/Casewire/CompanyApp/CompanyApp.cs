using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.FileProviders;

namespace Casewire.CompanyApp;

/// <summary>
/// The staff web UI (SPEC §8): Razor Pages under <c>CompanyApp/Pages</c>, every page behind the staff
/// cookie and scoped to the signed-in user's company (<see cref="StaffPageModel"/>); antiforgery on every
/// form (Razor Pages validate it on every POST). The client portal's pages live under <c>Portal/Pages</c>.
/// </summary>
static class CompanyAppExtensions
{
    public const string PagesRoot = "/CompanyApp/Pages";

    public static IHostApplicationBuilder AddCompanyApp(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorPages(o =>
            {
                // One page tree for the whole project: staff pages under CompanyApp/Pages, portal pages under
                // Portal/Pages; each page states its own absolute route with @page.
                o.RootDirectory = "/";
                o.Conventions.AuthorizeFolder(PagesRoot, StaffPolicies.Staff);
                o.Conventions.AllowAnonymousToPage(PagesRoot + "/Account/Login");
                o.Conventions.AllowAnonymousToPage(PagesRoot + "/Account/Denied");
            })
            .AddMvcOptions(o => o.Filters.Add<PasswordChangeGate>());
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "casewire.antiforgery";
            o.HeaderName = "X-CSRF-TOKEN";
        });
        builder.Services.AddScoped<FirmTexts>();
        return builder;
    }

    /// <summary>The stylesheet and icons, served before routing.</summary>
    public static WebApplication UseCompanyAppAssets(this WebApplication app)
    {
        // The stylesheet ships inside the binary: no CDN, no wwwroot to deploy beside it.
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new ManifestEmbeddedFileProvider(typeof(CompanyAppExtensions).Assembly, "CompanyApp/Assets"),
            RequestPath = "/assets",
            OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "public, max-age=3600",
        });
        return app;
    }

    public static WebApplication MapCompanyApp(this WebApplication app)
    {
        app.MapRazorPages();
        return app;
    }
}

/// <summary>Base of every staff page: the company every query must be scoped by.</summary>
abstract class StaffPageModel : PageModel
{
    protected int CompanyId => User.CompanyId();
    protected int UserId => User.UserId();

    /// <summary>A one-line notice shown once on the next page (after a redirect).</summary>
    [TempData] public string? Flash { get; set; }
}

/// <summary>A user whose password was printed by the CLI may open nothing but the password page until they choose one.</summary>
sealed class PasswordChangeGate : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var path = context.ActionDescriptor.ViewEnginePath;
        var exempt = path.StartsWith(CompanyAppExtensions.PagesRoot + "/Account/", StringComparison.Ordinal)
            || !path.StartsWith(CompanyAppExtensions.PagesRoot, StringComparison.Ordinal);
        if (!exempt && context.HttpContext.User.HasClaim(StaffClaims.MustChangePassword, "true"))
        {
            context.Result = new RedirectToPageResult(CompanyAppExtensions.PagesRoot + "/Account/Password");
            return;
        }
        await next();
    }
}
