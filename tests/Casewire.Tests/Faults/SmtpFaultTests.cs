using System.Net;
using System.Net.Http.Json;
using Casewire.Tests.Infrastructure;

namespace Casewire.Tests.Faults;

/// <summary>
/// SPEC §10: SMTP cannot be asked whether it took an email. One whose answer was lost after the mail
/// server had it is ambiguous, and the resend carries the same <c>Message-ID</c>, which mail clients fold.
/// </summary>
public sealed class SmtpFaultTests
{
    [Fact]
    public async Task AnEmailWhoseAnswerWasLostAfterTheServerTookItIsResentWithTheSameMessageId()
    {
        // A short Smtp:Timeout: MailKit waits for the 250 in real time.
        await using var app = new SmtpApp { Overrides = { ["Smtp:Timeout"] = "00:00:01" } };
        await app.InitializeAsync();
        var tenant = await app.NewTenantAsync();
        var email = $"ann.{Guid.NewGuid():N}@client.example";
        await tenant.ContactAsync("c1", email: email);
        await tenant.ProjectAsync("p1", ["c1"], name: PartnerSetup.CaseName);
        app.Catcher.AcceptThenHangNext();
        var accepted = await (await tenant.Http.PostAsJsonAsync("/partner/v2/send-message", new { projectId = "p1", text = "We filed the motion today." }))
            .ExpectAsync(HttpStatusCode.Accepted);
        var (messageId, deliveryId) = ((int)accepted["id"]!, (long)Assert.Single(accepted["recipients"]!.AsArray())!["deliveryId"]!);

        await app.DispatchAsync();
        var lost = Assert.Single((await (await tenant.Http.GetAsync($"/partner/v2/messages/{messageId}")).ExpectAsync(HttpStatusCode.OK))["recipients"]!.AsArray())!;
        app.Time.Advance(TimeSpan.FromMinutes(10));
        await app.DispatchAsync();

        Assert.Equal("queued", (string?)lost["status"]);
        Assert.Equal("ambiguous", (string?)Assert.Single(lost["attempts"]!.AsArray())!["outcome"]);
        var caught = app.Catcher.Messages.Where(m => m.EnvelopeTo.Contains(email)).Select(m => m.Message.MessageId).ToList();
        Assert.Equal([$"cw-{deliveryId}@acme.example", $"cw-{deliveryId}@acme.example"], caught);
        var sent = Assert.Single((await (await tenant.Http.GetAsync($"/partner/v2/messages/{messageId}")).ExpectAsync(HttpStatusCode.OK))["recipients"]!.AsArray())!;
        Assert.Equal("sent", (string?)sent["status"]);
        Assert.Equal(["ambiguous", "sent"], sent["attempts"]!.AsArray().Select(a => (string?)a!["outcome"]));
    }
}
