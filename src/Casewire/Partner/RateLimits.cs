using System.Globalization;
using System.Threading.RateLimiting;
using Casewire.Partner.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Casewire.Partner;

/// <summary>SPEC §1: the per-token request budget (configuration section <c>RateLimit</c>).</summary>
sealed class RateLimitOptions
{
    public const string Section = "RateLimit";

    /// <summary>Requests per minute per token; also the burst a quiet token may spend at once. 0 turns limiting off.</summary>
    public int PermitsPerMinute { get; set; } = 600;
}

static class RateLimits
{
    /// <summary>The <see cref="PartnerRateLimit"/> policy, applied to the <c>/partner/v2</c> group by <see cref="PartnerApi"/>.</summary>
    public static IHostApplicationBuilder AddPartnerRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .Validate(o => o.PermitsPerMinute >= 0, "RateLimit:PermitsPerMinute must be 0 (off) or a positive number of requests per minute.")
            .ValidateOnStart();
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy<int, PartnerRateLimit>(PartnerRateLimit.PolicyName);
        });
        return builder;
    }

    /// <summary>Puts the group's endpoints under the per-token budget.</summary>
    public static RouteGroupBuilder RequirePerTokenRateLimit(this RouteGroupBuilder group) => group.RequireRateLimiting(PartnerRateLimit.PolicyName);
}

/// <summary>
/// SPEC §1: a token bucket per API token. Its capacity is the whole minute's budget and it refills
/// continuously (one permit every 60/N seconds), so an integration may burst its minute's worth and
/// then proceeds at the steady rate; one noisy integration never slows another token or company.
/// The policy runs after authentication: its key is the token, and a request without one is
/// answered 401 by authorization before it gets here.
/// </summary>
/// <remarks>
/// <see cref="TokenBucketRateLimiterOptions"/> has no <see cref="TimeProvider"/> (.NET 10): the
/// bucket refills on the real clock. Tests use a small budget and spend it at once.
/// </remarks>
sealed class PartnerRateLimit(IOptions<RateLimitOptions> options, IProblemDetailsService problems) : IRateLimiterPolicy<int>
{
    public const string PolicyName = "partner-token";

    readonly int _perMinute = options.Value.PermitsPerMinute;

    public RateLimitPartition<int> GetPartition(HttpContext httpContext)
    {
        var tenant = httpContext.RequestServices.GetRequiredService<Tenant>();
        if (_perMinute == 0 || tenant.TokenId == 0) return RateLimitPartition.GetNoLimiter(0);
        return RateLimitPartition.GetTokenBucketLimiter(tenant.TokenId, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = _perMinute,
            // The partitioned limiter tops buckets up every 100 ms in proportion to the time passed,
            // so one permit per period is a continuous refill at exactly N per minute.
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1) / _perMinute,
            QueueLimit = 0,
        });
    }

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    async ValueTask RejectAsync(OnRejectedContext context, CancellationToken ct)
    {
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1) / _perMinute;
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context.HttpContext,
            ProblemDetails = new ProblemDetails
            {
                Type = "https://tools.ietf.org/html/rfc6585#section-4", // where 429 is defined
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"This token may make {_perMinute} requests per minute (up to {_perMinute} at once after a quiet minute). " +
                         $"Try again in {seconds} s (Retry-After); other tokens are not affected.",
            },
        });
    }
}
