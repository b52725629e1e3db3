using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Casewire.Tests.Fakes;

/// <summary>
/// An integrator's webhook receiver: a real HTTP server on 127.0.0.1 that records every request
/// (headers and raw body), checks its signature with <see cref="StandardWebhooksVerifier"/> when it
/// knows the path's secret (answering 401 to a bad one, as a careful receiver does), and fails,
/// hangs or answers 410 on command. Paths tell endpoints apart: each test registers its own.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    readonly WebApplication _server;
    readonly TimeProvider _clock;
    readonly ConcurrentQueue<Received> _requests = new();
    readonly ConcurrentDictionary<string, string> _secrets = new();
    readonly ConcurrentDictionary<string, ConcurrentQueue<Answer>> _script = new();
    readonly ConcurrentDictionary<string, int> _holding = new();

    /// <summary>One request as it arrived, and what the receiver made of it.</summary>
    public sealed record Received(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, bool? SignatureValid, int AnsweredWith)
    {
        public string BodyText => Encoding.UTF8.GetString(Body);
        public JsonObject Json => JsonNode.Parse(BodyText)!.AsObject();
        public string Type => (string)Json["type"]!;
        public JsonObject Data => Json["data"]!.AsObject();
        public string WebhookId => Headers["webhook-id"];
        public long Timestamp => long.Parse(Headers["webhook-timestamp"], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A scripted answer for the next request to a path: a status, no answer at all until the caller gives up
    /// (<paramref name="Hang"/>), or the status after holding the request for <paramref name="HangFor"/> on the receiver's clock.
    /// </summary>
    public sealed record Answer(HttpStatusCode Status, bool Hang = false, TimeSpan? HangFor = null);

    WebhookReceiver(WebApplication server, TimeProvider clock)
    {
        _server = server;
        _clock = clock;
    }

    public string BaseUrl { get; private set; } = "";

    public static async Task<WebhookReceiver> StartAsync(TimeProvider clock)
    {
        var receiver = new WebhookReceiver(LoopbackServer.Create(), clock);
        receiver._server.MapPost("/{**path}", receiver.ReceiveAsync);
        receiver.BaseUrl = await LoopbackServer.StartAsync(receiver._server);
        return receiver;
    }

    /// <summary>A fresh path of this receiver: one endpoint's URL. <see cref="Trust"/> makes it verify what arrives.</summary>
    public string NewPath() => "/hooks/" + Guid.NewGuid().ToString("N")[..12];

    public string UrlOf(string path) => BaseUrl + path;

    /// <summary>Verifies every later request to <paramref name="path"/> against <paramref name="secret"/>.</summary>
    public void Trust(string path, string secret) => _secrets[path] = secret;

    public void Script(string path, Answer answer, int times = 1)
    {
        var queue = _script.GetOrAdd(path, _ => new ConcurrentQueue<Answer>());
        for (var i = 0; i < times; i++) queue.Enqueue(answer);
    }

    public void FailNext(string path, int times, HttpStatusCode status = HttpStatusCode.InternalServerError) => Script(path, new Answer(status), times);

    /// <summary>Forgets the answers still scripted for <paramref name="path"/>: it answers 200 again.</summary>
    public void Heal(string path) => _script.TryRemove(path, out _);

    /// <summary>Completes when <paramref name="count"/> requests to <paramref name="path"/> have arrived (real time, for a request that hangs).</summary>
    public async Task WaitForAsync(string path, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (RequestsTo(path).Count < count) await Task.Delay(10, timeout.Token);
    }

    public IReadOnlyList<Received> RequestsTo(string path) => _requests.Where(r => r.Path == path).ToList();

    /// <summary>How many requests to <paramref name="path"/> are being held unanswered right now (<see cref="Answer.Hang"/>, <see cref="Answer.HangFor"/>).</summary>
    public int HoldingFor(string path) => _holding.GetValueOrDefault(path);

    public IReadOnlyList<Received> Requests => _requests.ToList();

    async Task<IResult> ReceiveAsync(HttpRequest http)
    {
        using var buffer = new MemoryStream();
        await http.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var path = http.Path.Value ?? "";
        var headers = http.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        bool? valid = _secrets.TryGetValue(path, out var secret)
            ? StandardWebhooksVerifier.Verify(secret, headers, body, _clock.GetUtcNow())
            : null;

        var answer = _script.TryGetValue(path, out var queue) && queue.TryDequeue(out var scripted) ? scripted : null;
        var status = answer?.Status ?? (valid == false ? HttpStatusCode.Unauthorized : HttpStatusCode.OK);
        var holds = answer is { Hang: true } or { HangFor: not null };
        if (holds) _holding.AddOrUpdate(path, 1, (_, n) => n + 1); // before the request is seen: a test that saw it may ask
        _requests.Enqueue(new Received(path, headers, body, valid, (int)status));
        if (holds)
        {
            var aborted = http.HttpContext.RequestAborted;
            try { await (answer!.HangFor is { } hold ? Task.Delay(hold, _clock, aborted) : Task.Delay(Timeout.Infinite, aborted)); }
            catch (OperationCanceledException) { } // the sender gave up, as it should
            finally { _holding.AddOrUpdate(path, 0, (_, n) => n - 1); }
        }
        return Results.Text(status == HttpStatusCode.OK ? "ok" : $"answered {(int)status} on purpose", statusCode: (int)status);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();
}

/// <summary>
/// A receiver's check of a Standard Webhooks signature, written from the specification
/// (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md,
/// "Signature scheme", "Webhook headers", "Verifying signatures") and deliberately not calling
/// Casewire's signer: the signed content is <c>{webhook-id}.{webhook-timestamp}.{raw body}</c>;
/// the HMAC-SHA256 key is the base64 decoding of the secret after <c>whsec_</c>;
/// <c>webhook-signature</c> is a space-separated list of <c>version,base64</c> of which one <c>v1</c>
/// must match (compared in constant time); the timestamp must be within five minutes of now.
/// </summary>
public static class StandardWebhooksVerifier
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static bool Verify(string secret, IReadOnlyDictionary<string, string> headers, byte[] body, DateTimeOffset now)
    {
        if (!headers.TryGetValue("webhook-id", out var id) || !headers.TryGetValue("webhook-timestamp", out var timestamp)
            || !headers.TryGetValue("webhook-signature", out var signatures))
            return false;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Tolerance)
            return false;

        var key = Convert.FromBase64String(secret.Substring("whsec_".Length));
        var signed = Encoding.UTF8.GetBytes(id + "." + timestamp + ".").Concat(body).ToArray();
        byte[] expected;
        using (var hmac = new HMACSHA256(key)) expected = hmac.ComputeHash(signed);

        foreach (var candidate in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = candidate.IndexOf(',');
            if (comma < 0 || candidate[..comma] != "v1") continue;
            byte[] given;
            try { given = Convert.FromBase64String(candidate[(comma + 1)..]); }
            catch (FormatException) { continue; }
            if (CryptographicOperations.FixedTimeEquals(given, expected)) return true;
        }
        return false;
    }
}
