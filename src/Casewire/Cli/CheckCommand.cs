using System.CommandLine;
using System.Net;
using Casewire.Data;
using Casewire.Delivery.Email;
using Casewire.Delivery.Sms;
using Casewire.Delivery.Webhooks;
using Casewire.Hosting;
using Casewire.Validation;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Casewire.Cli;

/// <summary>
/// <c>casewire check</c> (SPEC §9): the configuration tried part by part without starting the server — the database
/// (reachable, migrated), the public base URL, Twilio's credentials (one authenticated GET of the account), the mail
/// server (connect and log in, no mail sent), the Data Protection certificate and the webhook policy. Each part says
/// what is right or what to fix; the exit code is 1 when any part failed.
/// </summary>
static class CheckCommand
{
    enum Verdict { Ok, Note, Fail }

    sealed record Finding(string Part, Verdict Verdict, string Text);

    public static Command Create(CliContext context)
    {
        var command = new Command("check", "Check the configuration (database, public URL, Twilio, SMTP, certificate, webhooks) without starting the server.");
        command.SetAction((_, ct) => context.RunAsync(async (services, db) =>
        {
            var configuration = services.GetRequiredService<IConfiguration>();
            var findings = new List<Finding>();
            findings.AddRange(await DatabaseAsync(db, ct));
            findings.Add(PublicBaseUrl(configuration));
            findings.Add(await TwilioAsync(configuration, ct));
            findings.Add(await SmtpAsync(configuration, ct));
            findings.Add(Certificate(configuration, services.GetRequiredService<IHostEnvironment>()));
            if (findings[0].Verdict != Verdict.Fail)
                findings.Add(await WebhooksAsync(db, services.GetRequiredService<WebhookAddresses>(),
                    services.GetRequiredService<IOptions<WebhookOptions>>().Value, ct));

            foreach (var f in findings)
                context.Out.WriteLine($"{f.Verdict switch { Verdict.Ok => "ok  ", Verdict.Note => "note", _ => "FAIL" }}  {f.Part}: {f.Text}");
            var failed = findings.Count(f => f.Verdict == Verdict.Fail);
            context.Out.WriteLine(failed == 0 ? "Everything checked is ready." : $"{failed} part(s) to fix; see FAIL above.");
            return failed == 0 ? 0 : 1;
        }, ct, migrate: false)); // a check changes nothing: pending migrations are reported, not applied
        return command;
    }

    static async Task<IEnumerable<Finding>> DatabaseAsync(CasewireDb db, CancellationToken ct)
    {
        const string part = "database";
        var where = db.Database.IsSqlite() ? $"SQLite {ServerHold.DatabaseFile(db.Database.GetConnectionString()!)}" : "PostgreSQL";
        try
        {
            if (!await db.Database.CanConnectAsync(ct))
                return [new(part, Verdict.Fail, $"{where} cannot be reached: check ConnectionStrings:Casewire (host, port, database, user, password).")];
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            var applied = (await db.Database.GetAppliedMigrationsAsync(ct)).Count();
            var unknown = (await db.Database.GetAppliedMigrationsAsync(ct)).Except(db.Database.GetMigrations()).ToList();
            if (unknown.Count > 0)
                return [new(part, Verdict.Fail, $"{where} was migrated by a newer Casewire ({unknown[0]}); run that release, or restore a backup of this one.")];
            return pending.Count == 0
                ? [new(part, Verdict.Ok, $"{where} is reachable and migrated ({applied} migrations).")]
                : [new(part, Verdict.Note, $"{where} is reachable; {pending.Count} migration(s) pending ({string.Join(", ", pending)}): " +
                                           "the server applies them when it starts, or run 'casewire migrate'.")];
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or IOException)
        {
            return [new(part, Verdict.Fail, $"{where} cannot be reached ({e.GetBaseException().Message.TrimEnd('.')}): check ConnectionStrings:Casewire.")];
        }
    }

    static Finding PublicBaseUrl(IConfiguration configuration)
    {
        const string part = "public base URL";
        var value = configuration["Casewire:PublicBaseUrl"] ?? configuration["Portal:PublicBaseUrl"];
        if (string.IsNullOrWhiteSpace(value))
            return new(part, Verdict.Fail, "Casewire:PublicBaseUrl is not set: the links in texts would point at http://localhost:5000 and Twilio " +
                                           "could not reach the status callbacks. Set it to the address clients use, e.g. https://casewire.example.com.");
        if (!Urls.IsAbsoluteHttp(value))
            return new(part, Verdict.Fail, $"Casewire:PublicBaseUrl '{value}' is not an absolute http(s) URL, e.g. https://casewire.example.com.");
        var url = new Uri(value);
        if (url.Query.Length > 0 || url.Fragment.Length > 0)
            return new(part, Verdict.Fail, $"Casewire:PublicBaseUrl '{value}' has a query or fragment; give the site's address only.");
        if (url.Scheme != Uri.UriSchemeHttps && !url.IsLoopback)
            return new(part, Verdict.Fail, $"Casewire:PublicBaseUrl '{value}' is http: portal links are credentials, serve them over https (README \"Production\").");
        return new(part, Verdict.Ok, $"{url.GetLeftPart(UriPartial.Path).TrimEnd('/')}{(url.IsLoopback ? " (loopback: right for a developer's machine only)" : "")}.");
    }

    static async Task<Finding> TwilioAsync(IConfiguration configuration, CancellationToken ct)
    {
        const string part = "twilio";
        if (!string.Equals(configuration["Sms:Provider"] ?? "Sink", "Twilio", StringComparison.OrdinalIgnoreCase))
            return new(part, Verdict.Ok, "skipped: Sms:Provider is the sink (texts are kept, not sent).");
        var options = configuration.GetSection(TwilioOptions.Section).Get<TwilioOptions>() ?? new();
        if (new TwilioOptionsValidation().Validate(null, options) is { Failed: true } invalid)
            return new(part, Verdict.Fail, string.Join(" ", invalid.Failures));
        var account = $"{options.BaseUrl.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(options.AccountSid!)}.json";
        try
        {
            using var http = new HttpClient { Timeout = options.RequestTimeout };
            using var request = new HttpRequestMessage(HttpMethod.Get, account) { Headers = { Authorization = options.Credentials } };
            using var response = await http.SendAsync(request, ct);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => new(part, Verdict.Ok, $"Twilio accepted the credentials for account {options.AccountSid}."),
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new(part, Verdict.Fail,
                    $"Twilio refused the credentials ({(int)response.StatusCode}): check Twilio:AccountSid and Twilio:AuthToken (or Twilio:ApiKeySid/ApiKeySecret)."),
                HttpStatusCode.NotFound => new(part, Verdict.Fail, $"Twilio has no account {options.AccountSid}: check Twilio:AccountSid."),
                var other => new(part, Verdict.Fail, $"Twilio answered {(int)other} for the account; try again later, or check Twilio:BaseUrl."),
            };
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new(part, Verdict.Fail, $"Twilio at {options.BaseUrl} could not be reached ({e.Message.TrimEnd('.')}): check the network and Twilio:BaseUrl.");
        }
    }

    static async Task<Finding> SmtpAsync(IConfiguration configuration, CancellationToken ct)
    {
        const string part = "smtp";
        if (!string.Equals(configuration["Email:Provider"] ?? "Sink", "Smtp", StringComparison.OrdinalIgnoreCase))
            return new(part, Verdict.Ok, "skipped: Email:Provider is the sink (emails are kept, not sent).");
        var options = configuration.GetSection(SmtpOptions.Section).Get<SmtpOptions>() ?? new();
        if (new SmtpOptionsValidation().Validate(null, options) is { Failed: true } invalid)
            return new(part, Verdict.Fail, string.Join(" ", invalid.Failures));
        var server = $"{options.Host}:{options.EffectivePort}";
        using var smtp = new SmtpClient { Timeout = (int)options.Timeout.TotalMilliseconds };
        try
        {
            await smtp.ConnectAsync(options.Host!, options.EffectivePort, options.SocketOptions, ct);
            if (!string.IsNullOrEmpty(options.User)) await smtp.AuthenticateAsync(options.User, options.Password ?? "", ct);
            await smtp.DisconnectAsync(quit: true, ct);
            return new(part, Verdict.Ok, string.IsNullOrEmpty(options.User)
                ? $"{server} accepts connections (no login configured: Smtp:User is empty)."
                : $"{server} accepted the login of {options.User}.");
        }
        catch (AuthenticationException)
        {
            return new(part, Verdict.Fail, $"{server} refused the login of {options.User}: check Smtp:User and Smtp:Password.");
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or MailKit.ProtocolException
                                       or MailKit.Net.Smtp.SmtpCommandException or SslHandshakeException or TimeoutException or NotSupportedException)
        {
            return new(part, Verdict.Fail, $"{server} could not be used ({e.Message.TrimEnd('.')}): check Smtp:Host, Smtp:Port and Smtp:Security.");
        }
    }

    static Finding Certificate(IConfiguration configuration, IHostEnvironment environment)
    {
        const string part = "data protection";
        if (string.IsNullOrEmpty(configuration[KeyRing.CertificateKey]))
            return environment.IsProduction()
                ? new(part, Verdict.Note, $"the key ring is stored unencrypted; set {KeyRing.CertificateKey} (a PFX file) and {KeyRing.PasswordKey} to encrypt it at rest.")
                : new(part, Verdict.Ok, "no certificate configured (not Production): the key ring is stored unencrypted.");
        try
        {
            using var certificate = KeyRing.LoadCertificate(configuration)!;
            return new(part, Verdict.Ok, $"the key ring is encrypted with '{certificate.Subject}' (valid until {certificate.NotAfter:yyyy-MM-dd}).");
        }
        catch (InvalidOperationException e)
        {
            return new(part, Verdict.Fail, e.Message);
        }
    }

    static async Task<Finding> WebhooksAsync(CasewireDb db, WebhookAddresses addresses, WebhookOptions options, CancellationToken ct)
    {
        const string part = "webhooks";
        var policy = options.AllowPrivateNetworks
            ? "Webhooks:AllowPrivateNetworks is on: loopback and private addresses are allowed (right for a single-firm installation only)"
            : "webhooks go to public addresses only";
        var endpoints = await db.WebhookEndpoints.AsNoTracking().Select(e => new { e.CompanyId, e.Url }).ToListAsync(ct);
        var refused = new List<string>();
        foreach (var endpoint in endpoints)
            if (await addresses.CheckUrlAsync(endpoint.Url, ct) is { } why) refused.Add($"company {endpoint.CompanyId}: {endpoint.Url} ({why})");
        return refused.Count == 0
            ? new(part, options.AllowPrivateNetworks ? Verdict.Note : Verdict.Ok, $"{policy}; {endpoints.Count} endpoint(s), none refused.")
            : new(part, Verdict.Fail, $"{policy}; {refused.Count} endpoint(s) would be refused at each call: {string.Join("; ", refused)}.");
    }
}
