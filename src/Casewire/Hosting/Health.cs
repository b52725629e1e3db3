namespace Casewire.Hosting;

/// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: and its database does too.</summary>
static class Health
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }
}
