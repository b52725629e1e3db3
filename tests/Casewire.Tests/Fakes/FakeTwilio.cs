using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Casewire.Delivery.Inbound;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Casewire.Tests.Fakes;

/// <summary>
/// A real HTTP server on 127.0.0.1 that speaks Twilio's Messages REST shapes
/// (https://www.twilio.com/docs/messaging/api/message-resource): <c>POST Messages.json</c> answers
/// 201 with a new <c>SM…</c> sid, <c>GET Messages.json</c> lists what it holds. It records every
/// request, fails on command (scripted answers, per recipient or for anyone; faults after accepting a
/// text: a lost answer, a reset, a 502; a failing list), and signs callbacks
/// with the auth token as Twilio does. Its clock is the app's, so request times are fake-clock times.
/// </summary>
public sealed class FakeTwilio : IAsyncDisposable
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    public const string AuthToken = "fake-twilio-auth-token-0123456789";
    public const string From = "+15005550006";

    readonly WebApplication _server;
    readonly TimeProvider _clock;
    readonly ConcurrentQueue<Request> _requests = new();
    readonly List<Scripted> _script = [];
    readonly List<StoredMessage> _messages = [];
    readonly List<(string To, TaskCompletionSource Arrived)> _waiters = [];
    int _nextSid;

    /// <summary>One HTTP request as the fake received it.</summary>
    public sealed record Request(
        string Method, string Path, IReadOnlyDictionary<string, string> Query, IReadOnlyDictionary<string, string> Form,
        string? Authorization, DateTimeOffset At)
    {
        public string? To => Form.GetValueOrDefault("To");
        public bool IsSend => Method == "POST" && Path.EndsWith("/Messages.json", StringComparison.Ordinal);
        public bool IsList => Method == "GET" && Path.EndsWith("/Messages.json", StringComparison.Ordinal);
    }

    /// <summary>
    /// A message the fake "has" (sent through it or seeded), as its list returns it. One still queued has no
    /// <see cref="DateSent"/>, and Twilio's <c>DateSent</c> filters leave it out.
    /// </summary>
    public sealed record StoredMessage(string Sid, string To, string? From, string Body, DateTimeOffset DateCreated, DateTimeOffset? DateSent = null);

    /// <summary>
    /// An answer to give instead of the normal one, once, to the next send to <see cref="To"/> (or to anyone).
    /// With <see cref="Accept"/> the text is stored first, as Twilio would have it, and then the answer goes wrong.
    /// </summary>
    public sealed record Scripted(
        HttpStatusCode Status, string? Json = null, TimeSpan? RetryAfter = null, string? To = null, bool Hang = false, bool Accept = false,
        bool Reset = false);

    volatile bool _listsFail;

    /// <summary>Faults injected at random (the chaos test); scripted answers come first.</summary>
    public TwilioChaos? Chaos { get; set; }

    /// <summary>While set, every list request gets a 500: Twilio cannot be asked.</summary>
    public bool ListsFail { get => _listsFail; set => _listsFail = value; }

    FakeTwilio(WebApplication server, TimeProvider clock)
    {
        _server = server;
        _clock = clock;
    }

    public string BaseUrl { get; private set; } = "";

    public static async Task<FakeTwilio> StartAsync(TimeProvider clock)
    {
        var fake = new FakeTwilio(LoopbackServer.Create(), clock);
        fake._server.MapPost("/2010-04-01/Accounts/{account}/Messages.json", fake.CreateAsync);
        fake._server.MapGet("/2010-04-01/Accounts/{account}/Messages.json", fake.List);
        fake._server.MapGet("/2010-04-01/Accounts/{account}.json", fake.Account);
        fake._server.MapGet("/2010-04-01/Accounts/{account}/Messages/{message}/Media/{media}", fake.Media);
        fake.BaseUrl = await LoopbackServer.StartAsync(fake._server);
        return fake;
    }

    public IReadOnlyList<Request> Requests => _requests.ToList();

    /// <summary>The send requests (POST Messages.json) to one number.</summary>
    public IReadOnlyList<Request> SendsTo(string to) => Requests.Where(r => r.IsSend && r.To == to).ToList();

    /// <summary>What the fake holds for one number: every accepted send and every seeded message.</summary>
    public IReadOnlyList<StoredMessage> MessagesTo(string to)
    {
        lock (_messages) return _messages.Where(m => m.To == to).ToList();
    }

    public IReadOnlyList<Request> ListsFor(string to) => Requests.Where(r => r.IsList && r.Query.GetValueOrDefault("To") == to).ToList();

    public void Script(Scripted answer)
    {
        lock (_script) _script.Add(answer);
    }

    /// <summary>The next send to <paramref name="to"/> gets a 500 with Twilio's error shape.</summary>
    public void FailNextWith500(string to) => Script(new(HttpStatusCode.InternalServerError, Error(20500, "An internal server error has occurred", 500), To: to));

    public void RateLimitNext(string to, TimeSpan retryAfter) =>
        Script(new(HttpStatusCode.TooManyRequests, Error(20429, "Too Many Requests", 429), retryAfter, to));

    /// <summary>The next send to <paramref name="to"/> is refused with a Twilio error code (e.g. 21211 invalid number).</summary>
    public void RejectNext(string to, int code, string message) => Script(new(HttpStatusCode.BadRequest, Error(code, message, 400), To: to));

    /// <summary>The next send to <paramref name="to"/> gets no answer until the caller gives up (a timeout).</summary>
    public void HangNext(string to) => Script(new(HttpStatusCode.GatewayTimeout, To: to, Hang: true));

    /// <summary>The next send to <paramref name="to"/> is accepted (stored), then its answer never comes: the caller times out.</summary>
    public void AcceptThenHangNext(string to) => Script(new(HttpStatusCode.GatewayTimeout, To: to, Hang: true, Accept: true));

    /// <summary>The next send to <paramref name="to"/> is accepted (stored), then the connection is cut before any answer.</summary>
    public void AcceptThenResetNext(string to) => Script(new(HttpStatusCode.InternalServerError, To: to, Accept: true, Reset: true));

    /// <summary>The next send to <paramref name="to"/> gets a gateway's 502 (an HTML page), after (or without) Twilio accepting it.</summary>
    public void BadGatewayNext(string to, bool accepted) =>
        Script(new(HttpStatusCode.BadGateway, "<html><body>502 Bad Gateway</body></html>", To: to, Accept: accepted));

    /// <summary>Completes when a send to <paramref name="to"/> arrives (ask before causing it).</summary>
    public Task WhenSendReaches(string to)
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters) _waiters.Add((to, arrived));
        return arrived.Task;
    }

    /// <summary>Makes the fake hold a message, as if an earlier send had reached Twilio.</summary>
    public StoredMessage Seed(string to, string? from, string body, DateTimeOffset dateCreated, DateTimeOffset? dateSent = null)
    {
        var message = new StoredMessage(NewSid(), to, from, body, dateCreated, dateSent);
        lock (_messages) _messages.Add(message);
        return message;
    }

    /// <summary>Twilio's <c>X-Twilio-Signature</c> for a POST of <paramref name="form"/> to <paramref name="url"/>.</summary>
    public static string Sign(string url, IEnumerable<KeyValuePair<string, string>> form, string authToken = AuthToken)
    {
        var data = new StringBuilder(url);
        foreach (var (key, value) in form.OrderBy(f => f.Key, StringComparer.Ordinal)) data.Append(key).Append(value);
        using var hmac = new System.Security.Cryptography.HMACSHA1(Encoding.UTF8.GetBytes(authToken));
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(data.ToString())));
    }

    /// <summary>The app's <c>Casewire:PublicBaseUrl</c> in tests: TestServer's own address, so both URL sources agree.</summary>
    public const string AppBaseUrl = "http://localhost";

    /// <summary>POSTs a form to the app as Twilio would, signed for <see cref="AppBaseUrl"/> + <paramref name="pathAndQuery"/>.</summary>
    public static Task<HttpResponseMessage> PostSignedAsync(
        HttpClient app, string pathAndQuery, Dictionary<string, string> form, string? signature = null, bool sign = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, pathAndQuery) { Content = new FormUrlEncodedContent(form) };
        if (sign) request.Headers.Add(TwilioSignature.Header, signature ?? Sign(AppBaseUrl + pathAndQuery, form));
        return app.SendAsync(request);
    }

    async Task<IResult> CreateAsync(HttpRequest http)
    {
        var form = (await http.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString());
        var request = Record(http, form);
        lock (_waiters)
            foreach (var waiter in _waiters.Where(w => w.To == request.To).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Arrived.TrySetResult();
            }
        if (!Authorized(http)) return Json(HttpStatusCode.Unauthorized, Error(20003, "Authenticate", 401));
        if ((TakeScripted(request.To) ?? Chaos?.NextSendFault(request.To, form.GetValueOrDefault("Body"))) is { } scripted)
        {
            if (scripted.Accept && request.To is not null && form.TryGetValue("Body", out var accepted))
                Seed(request.To, form.GetValueOrDefault("From"), accepted, request.At, SentAt(request.At));
            if (scripted.Reset)
            {
                http.HttpContext.Abort();
                return Results.Empty;
            }
            if (scripted.Hang)
            {
                try { await Task.Delay(Timeout.Infinite, http.HttpContext.RequestAborted); }
                catch (OperationCanceledException) { } // the client gave up, as it should
            }
            if (scripted.RetryAfter is { } wait) http.HttpContext.Response.Headers.RetryAfter = ((int)wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return Json(scripted.Status, scripted.Json ?? "{}");
        }
        if (request.To is null || !form.TryGetValue("Body", out var body))
            return Json(HttpStatusCode.BadRequest, Error(21604, "A 'To' phone number is required.", 400));
        if (!form.ContainsKey("From") && !form.ContainsKey("MessagingServiceSid"))
            return Json(HttpStatusCode.BadRequest, Error(21603, "A 'From' phone number is required.", 400));

        var message = Seed(request.To, form.GetValueOrDefault("From"), body, request.At, SentAt(request.At));
        return Json(HttpStatusCode.Created, Resource(message).ToJsonString());
    }

    /// <summary>An accepted text stays queued (no date_sent) unless the chaos test moves it on to sent at once.</summary>
    DateTimeOffset? SentAt(DateTimeOffset at) => Chaos is { } chaos && !chaos.LeaveQueued() ? at : null;

    /// <summary>Every message the fake holds.</summary>
    public IReadOnlyList<StoredMessage> Messages
    {
        get { lock (_messages) return _messages.ToList(); }
    }

    readonly ConcurrentDictionary<string, (byte[] Bytes, string ContentType)> _media = new();

    /// <summary>
    /// Holds a picture of an inbound MMS as Twilio does; returns its <c>MediaUrl</c>, which answers only with the account's
    /// basic auth (401 otherwise), as Twilio's media URLs do when HTTP authentication is on.
    /// </summary>
    public string AddMedia(string messageSid, byte[] bytes, string contentType)
    {
        var mediaSid = "ME" + Guid.NewGuid().ToString("N");
        _media[$"{messageSid}/{mediaSid}"] = (bytes, contentType);
        return $"{BaseUrl}/2010-04-01/Accounts/{AccountSid}/Messages/{messageSid}/Media/{mediaSid}";
    }

    /// <summary>Media requests as received (their Authorization header included).</summary>
    public IReadOnlyList<Request> MediaRequests => Requests.Where(r => r.Method == "GET" && r.Path.Contains("/Media/", StringComparison.Ordinal)).ToList();

    IResult Media(HttpRequest http, string account, string message, string media)
    {
        Record(http, new Dictionary<string, string>());
        if (!Authorized(http)) return Json(HttpStatusCode.Unauthorized, Error(20003, "Authenticate", 401));
        return account == AccountSid && _media.TryGetValue($"{message}/{media}", out var found)
            ? Results.Bytes(found.Bytes, found.ContentType)
            : Json(HttpStatusCode.NotFound, Error(20404, "The requested resource was not found", 404));
    }

    IResult List(HttpRequest http)
    {
        var request = Record(http, new Dictionary<string, string>());
        if (!Authorized(http)) return Json(HttpStatusCode.Unauthorized, Error(20003, "Authenticate", 401));
        if (ListsFail || Chaos?.ListFails() == true) return Json(HttpStatusCode.InternalServerError, Error(20500, "An internal server error has occurred", 500));
        var to = request.Query.GetValueOrDefault("To");
        var from = request.Query.GetValueOrDefault("From");
        // As Twilio: a DateSent filter compares date_sent, which a queued message does not have yet.
        DateOnly? since = request.Query.TryGetValue("DateSent>=", out var day) ? DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
        List<StoredMessage> matching;
        lock (_messages)
            matching = _messages.Where(m => (to is null || m.To == to) && (from is null || m.From == from)
                                            && (since is null || (m.DateSent is { } sent && DateOnly.FromDateTime(sent.UtcDateTime) >= since)))
                .OrderByDescending(m => m.DateCreated).ToList();
        var list = new JsonObject
        {
            ["messages"] = new JsonArray(matching.Select(m => (JsonNode)Resource(m)).ToArray()),
            ["next_page_uri"] = null, ["page"] = 0, ["page_size"] = 50,
        };
        return Json(HttpStatusCode.OK, list.ToJsonString());
    }

    /// <summary>The account resource, as <c>casewire check</c> fetches it: 401 without the right credentials, 404 for another account.</summary>
    IResult Account(HttpRequest http, string account)
    {
        Record(http, new Dictionary<string, string>());
        if (!Authorized(http)) return Json(HttpStatusCode.Unauthorized, Error(20003, "Authenticate", 401));
        if (account != AccountSid) return Json(HttpStatusCode.NotFound, Error(20404, "The requested resource was not found", 404));
        return Json(HttpStatusCode.OK, new JsonObject { ["sid"] = AccountSid, ["status"] = "active", ["friendly_name"] = "Fake account" }.ToJsonString());
    }

    Request Record(HttpRequest http, Dictionary<string, string> form)
    {
        var request = new Request(http.Method, http.Path.Value ?? "", http.Query.ToDictionary(q => q.Key, q => q.Value.ToString()), form,
            http.Headers.Authorization.ToString(), _clock.GetUtcNow());
        _requests.Enqueue(request);
        return request;
    }

    static bool Authorized(HttpRequest http) =>
        AuthenticationHeaderValue.TryParse(http.Headers.Authorization, out var auth) && auth.Scheme == "Basic"
        && auth.Parameter == Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}"));

    Scripted? TakeScripted(string? to)
    {
        lock (_script)
        {
            var next = _script.FirstOrDefault(s => s.To is null || s.To == to);
            if (next is not null) _script.Remove(next);
            return next;
        }
    }

    string NewSid() => "SM" + Interlocked.Increment(ref _nextSid).ToString("x32", CultureInfo.InvariantCulture);

    static JsonObject Resource(StoredMessage m) => new()
    {
        ["sid"] = m.Sid, ["account_sid"] = AccountSid, ["to"] = m.To, ["from"] = m.From, ["body"] = m.Body,
        ["status"] = m.DateSent is null ? "queued" : "sent",
        ["date_created"] = Rfc2822(m.DateCreated), ["date_sent"] = m.DateSent is { } sent ? Rfc2822(sent) : null,
        ["num_segments"] = "1", ["error_code"] = null, ["error_message"] = null,
        ["uri"] = $"/2010-04-01/Accounts/{AccountSid}/Messages/{m.Sid}.json",
    };

    static string Rfc2822(DateTimeOffset at) => at.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

    static string Error(int code, string message, int status) => new JsonObject
    {
        ["code"] = code, ["message"] = message, ["more_info"] = $"https://www.twilio.com/docs/errors/{code}", ["status"] = status,
    }.ToJsonString();

    static IResult Json(HttpStatusCode status, string json) => Results.Content(json, "application/json", Encoding.UTF8, (int)status);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();
}
