using System.Net;
using Casewire.Tests.Infrastructure;

namespace Casewire.Tests.Webhooks;

/// <summary>SPEC §12: <c>mass_message.completed</c> once every recipient's delivery has left the queue, and only then.</summary>
public sealed class WebhookMassMessageTests(WebhookApp app) : IClassFixture<WebhookApp>
{
    [Fact]
    public async Task MassMessageCompletedIsRaisedOnceWhenTheLastDeliveryLeaves()
    {
        var (tenant, _) = await app.NewSendingTenantAsync();
        var hook = await app.EndpointAsync(tenant, "mass_message.completed");
        foreach (var c in new[] { "a", "b" }) await tenant.ContactAsync(c, PartnerSetup.UniqueNumber());
        await tenant.ProjectAsync("p1", ["a", "b"]);

        var accepted = await (await tenant.Http.PostJsonAsync("/partner/v2/mass-messages",
            new { text = "Court closed Friday", filter = new { projectIds = new[] { "p1" } } })).ExpectAsync(HttpStatusCode.Accepted);
        await app.DispatchAsync(); // one text per second from the firm's number: the second waits
        Assert.Empty(app.Receiver.RequestsTo(hook.Path));
        for (var i = 0; i < 5; i++)
        {
            app.Time.Advance(TimeSpan.FromSeconds(1));
            await app.DispatchAsync();
        }

        var request = Assert.Single(app.Receiver.RequestsTo(hook.Path));
        WebhookApp.AssertSignedAndAccepted(request);
        Assert.Equal("mass_message.completed", request.Type);
        Assert.Equal((int)accepted["id"]!, (int)request.Data["massMessageId"]!);
        Assert.Equal("completed", (string?)request.Data["status"]);
        Assert.Equal(2, (int)request.Data["recipients"]!);
        Assert.Equal(2, (int)request.Data["counts"]!["sent"]!);
    }
}
