using System.Text.Json.Nodes;

namespace Casewire.Partner;

/// <summary>The examples of <c>POST /partner/v2/mass-messages</c> in the OpenAPI document (kept beside the endpoint, SPEC §12).</summary>
static class MassMessageDocs
{
    static readonly string RequestExample = """
        {
          "text": "Hi {client.firstName}, our office is closed Friday; {company.name} reopens Monday at 8.",
          "filter": { "projectTypes": ["Personal Injury"], "statuses": ["In Progress"], "milestonesEnabled": true },
          "sendAt": "2031-05-01T09:00:00-04:00",
          "withinDeliveryWindow": false,
          "keepOutOfConversations": false
        }
        """;

    static readonly string ResponseExample = """
        {
          "id": 42, "status": "scheduled",
          "text": "Hi {client.firstName}, our office is closed Friday; {company.name} reopens Monday at 8.",
          "filter": { "projectTypes": ["Personal Injury"], "statuses": ["In Progress"], "milestonesEnabled": true },
          "sendAt": "2031-05-01T13:00:00+00:00", "withinDeliveryWindow": false, "keepOutOfConversations": false,
          "recipients": 412, "skipped": { "optedOut": 3, "unreachable": 1, "duplicate": 17 },
          "counts": { "queued": 412, "sent": 0, "delivered": 0, "failed": 0, "canceled": 0 },
          "createdAt": "2031-04-28T15:02:11.000+00:00", "canceledAt": null, "completedAt": null
        }
        """;

    public static RouteHandlerBuilder WithMassMessageExamples(this RouteHandlerBuilder endpoint) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.RequestBody?.Content?.TryGetValue("application/json", out var request) == true)
                request.Example = JsonNode.Parse(RequestExample);
            if (operation.Responses?.TryGetValue("202", out var accepted) == true && accepted.Content?.TryGetValue("application/json", out var body) == true)
                body.Example = JsonNode.Parse(ResponseExample);
            return Task.CompletedTask;
        });
}
