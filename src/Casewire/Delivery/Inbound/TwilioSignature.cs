using System.Security.Cryptography;
using System.Text;
using Casewire.Delivery.Sms;
using Microsoft.Extensions.Options;

namespace Casewire.Delivery.Inbound;

/// <summary>
/// Twilio's request signature (https://www.twilio.com/docs/usage/security#validating-requests):
/// <c>X-Twilio-Signature</c> = base64(HMAC-SHA1(auth token, full URL + each POST field's name and
/// value, sorted by name)). Anyone can POST to a webhook; only Twilio knows the auth token.
/// </summary>
static class TwilioSignature
{
    public const string Header = "X-Twilio-Signature";

    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        var data = new StringBuilder(url);
        foreach (var (key, value) in form.OrderBy(f => f.Key, StringComparer.Ordinal).ThenBy(f => f.Value, StringComparer.Ordinal))
            data.Append(key).Append(value);
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }

    /// <summary>True when <paramref name="signature"/> is Twilio's for this URL and form, compared in constant time.</summary>
    public static bool IsValid(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form, string? signature)
    {
        if (string.IsNullOrEmpty(authToken) || string.IsNullOrEmpty(signature)) return false;
        var given = Encoding.UTF8.GetBytes(signature);
        var fields = form.ToList();
        // Twilio signs the URL as configured on its side, which may or may not spell out the default port.
        return WithAndWithoutDefaultPort(url).Any(candidate =>
            CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(Compute(authToken, candidate, fields)), given));
    }

    /// <summary>
    /// The URL Twilio called: <c>Casewire:PublicBaseUrl</c> + path + query when configured (behind a
    /// proxy the request's own host and scheme are not what Twilio saw), else the request's own URL.
    /// </summary>
    public static string UrlOf(HttpRequest request, string? publicBaseUrl) =>
        string.IsNullOrWhiteSpace(publicBaseUrl)
            ? $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}"
            : $"{publicBaseUrl.TrimEnd('/')}{request.Path}{request.QueryString}";

    static IEnumerable<string> WithAndWithoutDefaultPort(string url)
    {
        yield return url;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !uri.IsDefaultPort) yield break;
        var authorityStart = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var authorityEnd = url.IndexOfAny(['/', '?'], authorityStart);
        if (authorityEnd < 0) authorityEnd = url.Length;
        var (scheme, rest) = (url[..authorityStart], url[authorityEnd..]);
        foreach (var authority in new[] { uri.Authority, $"{uri.Host}:{uri.Port}" })
            if (authority != url[authorityStart..authorityEnd]) yield return scheme + authority + rest;
    }

    /// <summary>Refuses, with 403, any request to these endpoints that Twilio did not sign.</summary>
    public static TBuilder RequireTwilioSignature<TBuilder>(this TBuilder endpoints) where TBuilder : IEndpointConventionBuilder =>
        endpoints.AddEndpointFilter(async (context, next) =>
        {
            var request = context.HttpContext.Request;
            var options = context.HttpContext.RequestServices.GetRequiredService<IOptions<TwilioOptions>>().Value;
            var form = request.HasFormContentType ? await request.ReadFormAsync(context.HttpContext.RequestAborted) : FormCollection.Empty;
            var fields = form.SelectMany(f => f.Value.Select(v => KeyValuePair.Create(f.Key, v ?? "")));
            if (IsValid(options.AuthToken ?? "", UrlOf(request, options.PublicBaseUrl), fields, request.Headers[Header]))
                return await next(context);

            context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TwilioSignature))
                .LogWarning("Refused {Path}: {Header} missing or invalid (check Twilio:AuthToken and Casewire:PublicBaseUrl)", request.Path, Header);
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: $"The {Header} header is missing or is not Twilio's signature of this request.");
        });
}
