using System.Net;
using System.Net.Http.Json;
using Casewire.Model;
using Casewire.Tests.Fakes;
using Casewire.Tests.Infrastructure;
using Casewire.Time;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests;

/// <summary>
/// SPEC §7, §9: clients' texts arrive on Twilio's signed webhook; STOP/START/HELP act on them and
/// every text joins the sender's open project conversation.
/// </summary>
public sealed class InboundSmsTests(TwilioApp app) : IClassFixture<TwilioApp>
{
    const string EmptyTwiml = """<?xml version="1.0" encoding="UTF-8"?><Response></Response>""";

    /// <summary>A client's text as Twilio posts it, signed.</summary>
    async Task<HttpResponseMessage> TextAsync(string from, string to, string body)
    {
        var response = await FakeTwilio.PostSignedAsync(app.CreateClient(), "/webhooks/twilio/sms", Inbound(from, to, body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(EmptyTwiml, await response.Content.ReadAsStringAsync());
        return response;
    }

    static Dictionary<string, string> Inbound(string from, string to, string body) => new()
    {
        ["AccountSid"] = FakeTwilio.AccountSid, ["MessageSid"] = "SM" + Guid.NewGuid().ToString("N"), ["From"] = from, ["To"] = to,
        ["Body"] = body, ["NumMedia"] = "0", ["NumSegments"] = "1", ["ApiVersion"] = "2010-04-01",
    };

    Task<List<Message>> MessagesFromAsync(string phone) =>
        app.WithDbAsync(db => db.Messages.AsNoTracking().Where(m => m.FromAddress == phone).OrderBy(m => m.Id).ToListAsync());

    [Theory]
    [InlineData("STOP")]
    [InlineData(" stop ")]
    [InlineData("Unsubscribe")]
    [InlineData("quit")]
    public async Task StopSuppressesTextsToTheClientWhileTheirEmailStillGoes(string stop)
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync(email: "ann.lee@client.example");

        await TextAsync(phone, sender, stop);
        var accepted = await app.SendAsync(tenant, new { projectId = "p1", text = "Your documents are ready." });

        var recipients = accepted["recipients"]!.AsArray();
        var sms = Assert.Single(recipients, r => (string?)r!["channel"] == "sms")!;
        Assert.Equal("suppressed", (string?)sms["status"]);
        Assert.Equal(phone, (string?)sms["address"]);
        var email = Assert.Single(recipients, r => (string?)r!["channel"] == "email")!;
        Assert.Equal("queued", (string?)email["status"]);
        var optOut = await app.WithDbAsync(db => db.OptOuts.AsNoTracking().SingleAsync(o => o.CompanyId == tenant.CompanyId && o.Phone == phone));
        Assert.True(optOut.Active);
        Assert.Equal(stop.Trim().ToUpperInvariant(), optOut.Keyword);
    }

    [Fact]
    public async Task APhoneOnlySendToAStoppedNumberIs422AndStartReEnablesIt()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        await TextAsync(phone, sender, "STOP");

        var refused = await (await tenant.Http.PostAsJsonAsync("/partner/v2/send-message", new { phoneNumber = phone, text = "Hello" }))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("opted-out", (string?)refused["recipients"]![0]!["reason"]);

        await TextAsync(phone, sender, "Start");
        var accepted = await app.SendAsync(tenant, new { phoneNumber = phone, text = "Hello" });
        var recipient = Assert.Single(accepted["recipients"]!.AsArray())!;
        Assert.Equal("sms", (string?)recipient["channel"]);
        Assert.Equal("queued", (string?)recipient["status"]);
        await app.DispatchAsync();
        Assert.Single(app.Twilio.SendsTo(phone));
    }

    [Fact]
    public async Task AReplyJoinsTheClientsOpenProjectConversationNewestFirst()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        await tenant.ProjectAsync("p-closed", ["c1"], name: PartnerSetup.CaseName, status: "Completed"); // updated later, but closed
        await app.SendAsync(tenant, new { projectId = "p1", text = "Can you come in on Tuesday?" });
        app.Time.Advance(TimeSpan.FromMinutes(3));

        await TextAsync(phone, sender, "Yes, Tuesday works for me.");

        var conversation = await (await tenant.Http.GetAsync("/partner/v2/projects/p1/messages")).ExpectAsync(HttpStatusCode.OK);
        var newest = conversation["items"]![0]!;
        Assert.Equal("inbound", (string?)newest["direction"]);
        Assert.Equal("reply", (string?)newest["kind"]);
        Assert.Equal("Yes, Tuesday works for me.", (string?)newest["text"]);
        Assert.Equal(phone, (string?)newest["from"]);
        Assert.Equal("client", (string?)newest["author"]!["kind"]);
        Assert.Equal("Ann Lee", (string?)newest["author"]!["name"]);
        Assert.Equal(app.Time.GetUtcNow().TruncateToMilliseconds(), (DateTimeOffset)newest["createdAt"]!);
        Assert.Equal("Can you come in on Tuesday?", (string?)conversation["items"]![1]!["text"]);
        var closed = await (await tenant.Http.GetAsync("/partner/v2/projects/p-closed/messages")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(closed["items"]!.AsArray());
    }

    [Fact]
    public async Task KeywordsAreKeptInTheConversationToo()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();

        await TextAsync(phone, sender, "STOP");

        var conversation = await (await tenant.Http.GetAsync("/partner/v2/projects/p1/messages")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("STOP", (string?)conversation["items"]![0]!["text"]);
    }

    [Fact]
    public async Task AReplyFromAnUnknownNumberIsStoredUnattachedUnderTheNumber()
    {
        var (tenant, sender, _) = await app.ClientOnProjectAsync();
        var stranger = PartnerSetup.UniqueNumber();

        await TextAsync(stranger, sender, "Who is this?");

        var stored = Assert.Single(await MessagesFromAsync(stranger));
        Assert.Equal(tenant.CompanyId, stored.CompanyId);
        Assert.Null(stored.ProjectId);
        Assert.Null(stored.AuthorContactId);
        Assert.Equal(stranger, stored.AuthorName);
        Assert.Equal(MessageDirection.Inbound, stored.Direction);
        Assert.Equal("Who is this?", stored.Text);
    }

    [Fact]
    public async Task HelpQueuesTheCompanysHelpTextToTheNumberThroughTheOutbox()
    {
        const string helpText = "Acme Law: call us at (555) 010-0100, Mon-Fri 9-5. Reply STOP to opt out.";
        var (tenant, sender, phone) = await app.ClientOnProjectAsync(helpText: helpText);

        await TextAsync(phone, sender, "help");

        var help = await app.WithDbAsync(db => db.Messages.AsNoTracking().Include(m => m.Deliveries)
            .SingleAsync(m => m.CompanyId == tenant.CompanyId && m.Kind == MessageKind.Help));
        Assert.Equal(MessageDirection.Outbound, help.Direction);
        Assert.Equal(helpText, help.Text);
        var delivery = Assert.Single(help.Deliveries);
        Assert.Equal((Channel.Sms, phone, DeliveryStatus.Pending), (delivery.Channel, delivery.To, delivery.Status));
        await app.DispatchAsync();
        var post = Assert.Single(app.Twilio.SendsTo(phone));
        Assert.Equal(helpText, post.Form["Body"]);
        Assert.Equal(sender, post.Form["From"]);
    }

    [Fact]
    public async Task InfoWithoutAHelpTextGetsADefaultNamingTheCompany()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();

        await TextAsync(phone, sender, "INFO");

        var help = await app.WithDbAsync(db => db.Messages.AsNoTracking().SingleAsync(m => m.CompanyId == tenant.CompanyId && m.Kind == MessageKind.Help));
        Assert.Contains("Firm " + tenant.Slug, help.Text);
        Assert.Contains("Reply STOP to opt out", help.Text);
    }

    [Fact]
    public async Task ATextToAFirmsOwnNumberIsThatFirmsEvenWhenAnotherFirmTextedTheSenderLater()
    {
        var (first, own, phone) = await app.ClientOnProjectAsync();
        var (second, _) = await app.NewSendingTenantAsync();
        await app.SendAsync(first, new { phoneNumber = phone, text = "From the first firm" });
        await app.SendAsync(second, new { phoneNumber = phone, text = "From the second firm" });

        await TextAsync(phone, own, "Which firm is this?");

        Assert.Equal(first.CompanyId, Assert.Single(await MessagesFromAsync(phone)).CompanyId);
    }

    [Fact]
    public async Task TwilioFromStaysSharedEvenWhereAFirmStoredItAsItsOwn()
    {
        // Stored before numbers were checked (the Settings page now refuses it): the shared number is still shared (SPEC §9).
        var (holder, _, phone) = await app.ClientOnProjectAsync();
        await app.WithDbAsync(async db =>
        {
            (await db.Companies.SingleAsync(c => c.Id == holder.CompanyId)).SenderNumber = FakeTwilio.From;
            await db.SaveChangesAsync();
        });
        var (other, _) = await app.NewSendingTenantAsync();
        await app.SendAsync(holder, new { phoneNumber = phone, text = "From the holder" });
        await app.SendAsync(other, new { phoneNumber = phone, text = "From the other firm, later" });

        await TextAsync(phone, FakeTwilio.From, "Which firm is this?");

        Assert.Equal(other.CompanyId, Assert.Single(await MessagesFromAsync(phone)).CompanyId);
    }

    [Fact]
    public async Task ATextToTwilioFromBelongsToTheCompanyThatLastTextedTheSender()
    {
        var (tenant, _, phone) = await app.ClientOnProjectAsync();
        await app.SendAsync(tenant, new { projectId = "p1", text = "Please confirm your address." });

        await TextAsync(phone, FakeTwilio.From, "123 Main St");

        var stored = Assert.Single(await MessagesFromAsync(phone));
        Assert.Equal(tenant.CompanyId, stored.CompanyId);
        Assert.NotNull(stored.ProjectId);
    }

    [Fact]
    public async Task AnInboundTextWithABadOrMissingSignatureIs403AndNothingIsStored()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        const string url = TwilioApp.PublicBaseUrl + "/webhooks/twilio/sms";
        var form = Inbound(phone, sender, "STOP");
        var tampered = new Dictionary<string, string>(form) { ["Body"] = "Please call me" }; // Twilio signed STOP

        var forgedResponse = await FakeTwilio.PostSignedAsync(app.CreateClient(), "/webhooks/twilio/sms", form,
            FakeTwilio.Sign(url, form, authToken: "guessed"));
        var tamperedResponse = await FakeTwilio.PostSignedAsync(app.CreateClient(), "/webhooks/twilio/sms", tampered, FakeTwilio.Sign(url, form));
        var unsignedResponse = await FakeTwilio.PostSignedAsync(app.CreateClient(), "/webhooks/twilio/sms", form, sign: false);

        await forgedResponse.ProblemAsync(HttpStatusCode.Forbidden);
        await tamperedResponse.ProblemAsync(HttpStatusCode.Forbidden);
        await unsignedResponse.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Empty(await MessagesFromAsync(phone));
        Assert.False(await app.WithDbAsync(db => db.OptOuts.AnyAsync(o => o.CompanyId == tenant.CompanyId && o.Phone == phone)));
    }

    [Fact]
    public async Task AUrlWithTheDefaultPortSpelledOutIsSignedTheSameWay()
    {
        var (_, sender, phone) = await app.ClientOnProjectAsync();
        var form = Inbound(phone, sender, "Got it, thanks");

        var response = await FakeTwilio.PostSignedAsync(app.CreateClient(), "/webhooks/twilio/sms", form,
            FakeTwilio.Sign("http://localhost:80/webhooks/twilio/sms", form));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(await MessagesFromAsync(phone));
    }
}
