using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Casewire.Cli;
using Casewire.Hosting;
using Casewire.Model;
using Casewire.Tests.Fakes;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests;

/// <summary>
/// <c>casewire check</c> (SPEC §9): the configuration tried part by part without starting the server, against the fake
/// Twilio and a real SMTP server that requires a login, with good and bad credentials. No text or email is sent.
/// </summary>
public sealed class CheckCommandTests(CheckCommandTests.Providers providers) : IClassFixture<CheckCommandTests.Providers>
{
    const string SmtpUser = "casewire";
    const string SmtpPassword = "mail-password-1";

    /// <summary>The fake Twilio and an SMTP server requiring <see cref="SmtpUser"/>'s login, shared by the class.</summary>
    public sealed class Providers : IAsyncLifetime
    {
        public FakeTwilio Twilio { get; private set; } = null!;
        public SmtpCatcher Smtp { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            Twilio = await FakeTwilio.StartAsync(TimeProvider.System);
            Smtp = await SmtpCatcher.StartAsync((SmtpUser, SmtpPassword));
        }

        public async ValueTask DisposeAsync()
        {
            await Twilio.DisposeAsync();
            await Smtp.DisposeAsync();
        }
    }

    sealed class App(Action<IDictionary<string, string?>> configure) : CasewireApp
    {
        protected override void Configure(IDictionary<string, string?> settings) => configure(settings);
    }

    /// <summary>An installation configured as a firm would: Twilio, SMTP with a login, an https public address.</summary>
    void Production(IDictionary<string, string?> settings)
    {
        settings["Casewire:PublicBaseUrl"] = "https://casewire.example.com";
        settings["Sms:Provider"] = "Twilio";
        settings["Twilio:BaseUrl"] = providers.Twilio.BaseUrl;
        settings["Twilio:AccountSid"] = FakeTwilio.AccountSid;
        settings["Twilio:AuthToken"] = FakeTwilio.AuthToken;
        settings["Twilio:From"] = FakeTwilio.From;
        settings["Email:Provider"] = "Smtp";
        settings["Smtp:Host"] = "127.0.0.1";
        settings["Smtp:Port"] = providers.Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Smtp:Security"] = "None";
        settings["Smtp:User"] = SmtpUser;
        settings["Smtp:Password"] = SmtpPassword;
        settings["Smtp:From"] = "office@acme.example";
        settings["Webhooks:AllowPrivateNetworks"] = "false";
    }

    async Task<(int Exit, string Out, string Error)> CheckAsync(Action<IDictionary<string, string?>> configure, Func<CasewireApp, Task>? before = null)
    {
        await using var app = new App(configure);
        await app.InitializeAsync();
        if (before is not null) await before(app);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await AdminCli.RunAsync(app.Services, ["check"], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    static string Line(string output, string part) =>
        output.Split('\n').SingleOrDefault(l => l.Length > 6 && l[6..].StartsWith(part + ":", StringComparison.Ordinal)) ?? $"(no line for {part} in:\n{output})";

    [Fact]
    public async Task AWellConfiguredInstallationPassesEveryPartAndSendsNothing()
    {
        var accountReads = providers.Twilio.Requests.Count(r => r.Method == "GET" && r.Path.EndsWith($"{FakeTwilio.AccountSid}.json", StringComparison.Ordinal));
        var mails = providers.Smtp.Messages.Count;

        var (exit, output, error) = await CheckAsync(Production);

        Assert.True(exit == 0, output + error);
        Assert.StartsWith("ok    database:", Line(output, "database"));
        Assert.Contains("migrated", Line(output, "database"));
        Assert.StartsWith("ok    public base URL: https://casewire.example.com", Line(output, "public base URL"));
        Assert.StartsWith("ok    twilio: Twilio accepted the credentials", Line(output, "twilio"));
        Assert.StartsWith($"ok    smtp: 127.0.0.1:{providers.Smtp.Port} accepted the login of {SmtpUser}", Line(output, "smtp"));
        Assert.StartsWith("ok    webhooks:", Line(output, "webhooks"));
        Assert.Contains("Everything checked is ready.", output);
        Assert.Equal(accountReads + 1, providers.Twilio.Requests.Count(r => r.Method == "GET" && r.Path.EndsWith($"{FakeTwilio.AccountSid}.json", StringComparison.Ordinal)));
        Assert.DoesNotContain(providers.Twilio.Requests, r => r.IsSend);
        Assert.Equal(mails, providers.Smtp.Messages.Count);
    }

    [Fact]
    public async Task WrongTwilioCredentialsFailAndSayWhichKeysToCheck()
    {
        var (exit, output, _) = await CheckAsync(s => { Production(s); s["Twilio:AuthToken"] = "not-the-token"; });

        Assert.Equal(1, exit);
        Assert.StartsWith("FAIL  twilio: Twilio refused the credentials (401)", Line(output, "twilio"));
        Assert.Contains("Twilio:AuthToken", Line(output, "twilio"));
        Assert.StartsWith("ok    smtp:", Line(output, "smtp")); // each part on its own
        Assert.Contains("1 part(s) to fix", output);
    }

    [Fact]
    public async Task AnAccountTwilioDoesNotKnowFails()
    {
        var (exit, output, _) = await CheckAsync(s => { Production(s); s["Twilio:AccountSid"] = "AC" + new string('9', 32); });

        Assert.Equal(1, exit);
        Assert.StartsWith("FAIL  twilio:", Line(output, "twilio"));
    }

    [Fact]
    public async Task AWrongSmtpPasswordFailsAndSaysSo()
    {
        var (exit, output, _) = await CheckAsync(s => { Production(s); s["Smtp:Password"] = "wrong"; });

        Assert.Equal(1, exit);
        Assert.StartsWith($"FAIL  smtp: 127.0.0.1:{providers.Smtp.Port} refused the login of {SmtpUser}", Line(output, "smtp"));
        Assert.StartsWith("ok    twilio:", Line(output, "twilio"));
    }

    [Fact]
    public async Task AMailServerThatIsNotListeningFails()
    {
        var (exit, output, _) = await CheckAsync(s =>
        {
            Production(s);
            s["Smtp:Port"] = SmtpCatcher.UnusedPort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        });

        Assert.Equal(1, exit);
        Assert.StartsWith("FAIL  smtp:", Line(output, "smtp"));
        Assert.Contains("Smtp:Host, Smtp:Port", Line(output, "smtp"));
    }

    [Fact]
    public async Task TheSinksAreSkippedAndAMissingOrPlainHttpPublicAddressFails()
    {
        var (exit, output, _) = await CheckAsync(_ => { });

        Assert.Equal(1, exit);
        Assert.StartsWith("ok    twilio: skipped", Line(output, "twilio"));
        Assert.StartsWith("ok    smtp: skipped", Line(output, "smtp"));
        Assert.StartsWith("FAIL  public base URL: Casewire:PublicBaseUrl is not set", Line(output, "public base URL"));

        (exit, output, _) = await CheckAsync(s => s["Casewire:PublicBaseUrl"] = "http://casewire.example.com");
        Assert.Equal(1, exit);
        Assert.Contains("https", Line(output, "public base URL"));
    }

    [Fact]
    public async Task ACertificateThatEncryptsTheKeyRingIsReported()
    {
        using var rsa = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=Casewire check (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var pfx = Path.Combine(Path.GetTempPath(), $"casewire-check-{Guid.NewGuid():N}.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "pfx-password"));
        try
        {
            var (exit, output, _) = await CheckAsync(s =>
            {
                Production(s);
                s[KeyRing.CertificateKey] = pfx;
                s[KeyRing.PasswordKey] = "pfx-password";
            });

            Assert.Equal(0, exit);
            Assert.StartsWith("ok    data protection: the key ring is encrypted with 'CN=Casewire check (test)'", Line(output, "data protection"));
        }
        finally
        {
            File.Delete(pfx);
        }
    }

    [Fact]
    public async Task AStoredWebhookTheAddressPolicyRefusesFails()
    {
        var (exit, output, _) = await CheckAsync(Production, async app =>
        {
            var tenant = await app.NewTenantAsync();
            // Saved before the policy was turned on (the Company App and CLI refuse it now).
            await app.WithDbAsync(async db =>
            {
                db.WebhookEndpoints.Add(new WebhookEndpoint { CompanyId = tenant.CompanyId, Url = "http://127.0.0.1:9/hooks", Secret = "whsec_test", CreatedAt = app.Time.GetUtcNow() });
                await db.SaveChangesAsync();
            });
        });

        Assert.Equal(1, exit);
        Assert.StartsWith("FAIL  webhooks:", Line(output, "webhooks"));
        Assert.Contains("http://127.0.0.1:9/hooks", Line(output, "webhooks"));
        Assert.Contains("loopback", Line(output, "webhooks"));
    }

    [Fact]
    public async Task ADatabaseMigratedByANewerReleaseFails()
    {
        var (exit, output, _) = await CheckAsync(Production, app => app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
                "INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES ('29991231000000_FromTheFuture', '99.0.0')")));

        Assert.Equal(1, exit);
        Assert.StartsWith("FAIL  database:", Line(output, "database"));
        Assert.Contains("newer Casewire", Line(output, "database"));
    }
}
