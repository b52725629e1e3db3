using Casewire.CompanyApp;
using Casewire.Partner.Json;

namespace Casewire.Hosting;

static class HostingExtensions
{
    /// <summary>Process-wide services: the clock every "now" comes from, the banner.</summary>
    public static IHostApplicationBuilder AddCasewireHosting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<StartupBanner>();
        builder.Services.AddPublicUrls();
        builder.Services.AddProxySupport();
        builder.Services.AddCredentialPaths();
        return builder;
    }

    /// <summary>The middleware pipeline: problems for every error, Partner API request hygiene, auth, per-token rate limits.</summary>
    public static WebApplication UseCasewirePipeline(this WebApplication app)
    {
        // First: everything after it sees a portal link's real path; what hosting records of the request does not.
        app.UseCredentialPaths();
        app.UseProxySupport();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCompanyAppAssets();
        app.UseWhen(c => c.Request.Path.StartsWithSegments(Partner.PartnerApi.BasePath), partner => partner.Use(PartnerRequests.Guard));
        // Routing after the guard: endpoint selection checks Content-Type, which the guard normalises.
        app.UseRouting();
        // After routing, before any handler binds: ids in paths are read from the raw target, exactly.
        app.UseWhen(c => c.Request.Path.StartsWithSegments(Partner.PartnerApi.BasePath), partner => partner.Use(Partner.PathIds.ReadExactly));
        app.UseAuthentication();
        app.UseAuthorization();
        // After auth: the budget is per token, and a request without a valid one is a 401, never a 429.
        app.UseRateLimiter();
        return app;
    }
}

static class CliLogging
{
    /// <summary>Admin commands keep stdout for their result: only warnings, and on stderr.</summary>
    public static ILoggingBuilder ForCli(this ILoggingBuilder logging) => logging
        .SetMinimumLevel(LogLevel.Warning)
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
}
