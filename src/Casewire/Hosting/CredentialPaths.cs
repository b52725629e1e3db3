using Microsoft.AspNetCore.Http.Features;

namespace Casewire.Hosting;

/// <summary>
/// Request paths that carry a credential (SPEC §11): a client's portal link, <c>/portal/{token}</c> and
/// <c>/p/{code}</c>. Everything that records a request — ASP.NET Core's "Request starting/finished" lines and
/// its request log scope (<c>RequestPath</c>), the request's span (<c>url.path</c>), the 500 handler — sees
/// <c>/portal/***</c> or <c>/p/***</c>; only the pipeline itself gets the real path.
/// </summary>
/// <remarks>
/// ASP.NET Core writes its request lines, opens its log scope and starts the request's span from the path it
/// finds when it creates the request's <see cref="HttpContext"/>, before any middleware, and reads it again after
/// the pipeline for the "Request finished" line. Turning those loggers off by category would not hold: a
/// provider's own level (<c>Logging:Console:LogLevel</c>) overrides a category filter. So the context is
/// created with the redacted path (<see cref="Factory"/>), the first middleware (<see cref="UseCredentialPaths"/>)
/// gives the pipeline the real one and puts the redacted one back when the pipeline is done.
/// </remarks>
static class CredentialPaths
{
    static readonly string[] Prefixes = ["/portal/", "/p/"];
    const string Hidden = "***";

    /// <summary>The path as it may be recorded: <c>/portal/***</c> or <c>/p/***</c> for a credential path, else as it is.</summary>
    public static string Redact(string? path) => Carrying(path) is { } prefix ? prefix + Hidden : path ?? "";

    static string? Carrying(string? path) =>
        path is null ? null : Prefixes.FirstOrDefault(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase) && path.Length > p.Length);

    public static IServiceCollection AddCredentialPaths(this IServiceCollection services) =>
        services.AddSingleton<IHttpContextFactory>(sp => new Factory(new DefaultHttpContextFactory(sp)));

    /// <summary>First in the pipeline: the request's own path for the middleware and handlers, the redacted one after them.</summary>
    public static IApplicationBuilder UseCredentialPaths(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Features.Get<RealPath>() is not { } real)
        {
            await next(context);
            return;
        }
        var redacted = context.Request.Path;
        context.Request.Path = real.Path;
        try
        {
            await next(context);
        }
        finally
        {
            context.Request.Path = redacted;
        }
    });

    /// <summary>The path a request really asked for, kept while the recorded one is redacted.</summary>
    sealed record RealPath(string Path);

    sealed class Factory(IHttpContextFactory inner) : IHttpContextFactory
    {
        public HttpContext Create(IFeatureCollection featureCollection)
        {
            if (featureCollection.Get<IHttpRequestFeature>() is { } request && Carrying(request.Path) is not null)
            {
                featureCollection.Set(new RealPath(request.Path));
                request.Path = Redact(request.Path);
            }
            return inner.Create(featureCollection);
        }

        public void Dispose(HttpContext httpContext) => inner.Dispose(httpContext);
    }
}
