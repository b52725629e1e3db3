using Casewire.Data;
using Casewire.Delivery.Sms;
using Casewire.Delivery.Webhooks;
using Casewire.Model;
using Casewire.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Casewire.Delivery.Inbound;

/// <summary>
/// <c>POST /webhooks/twilio/sms</c> (SPEC §7, §9): a client's text. Keywords change the number's
/// opt-out state or ask for help; every text, keywords included, joins the sender's open project's
/// conversation (or is kept unattached when there is none) as a <see cref="ClientReplies"/> reply.
/// </summary>
static class InboundSms
{
    /// <summary>Nothing to say through TwiML: the HELP answer goes through the outbox, so the delivery log shows it.</summary>
    const string EmptyTwiml = """<?xml version="1.0" encoding="UTF-8"?><Response></Response>""";

    public static async Task<ContentHttpResult> ReceiveAsync(
        HttpRequest request, CasewireDb db, Outbox outbox, ClientReplies replies, WebhookEvents webhooks, TimeProvider time,
        IOptions<TwilioOptions> twilio, InboundMedia inboundMedia, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(InboundSms));
        var form = await request.ReadFormAsync(ct);
        var (from, to, body, sid) = (form["From"].ToString().Trim(), form["To"].ToString().Trim(), form["Body"].ToString(), form["MessageSid"].ToString());
        if (from.Length is 0 or > Limits.Phone)
        {
            logger.LogWarning("Inbound text {Sid} has no usable From ('{From}'); ignored", sid, from);
            return Twiml();
        }

        var company = await CompanyForAsync(db, to, from, twilio.Value.From, ct);
        if (company is null)
        {
            logger.LogWarning("Inbound text {Sid} from {From} to {To}: no company uses that number or texted the sender; ignored", sid, from, to);
            return Twiml();
        }

        var providerId = sid.Length is > 0 and <= 100 ? sid : null;
        if (providerId is not null && await db.Messages.AnyAsync(m => m.ProviderMessageId == providerId, ct))
        {
            logger.LogInformation("Inbound text {Sid} was already stored; a redelivered webhook is ignored", sid);
            return Twiml();
        }

        var now = time.GetUtcNow().TruncateToMilliseconds();
        var (projectId, author) = await ConversationOfAsync(db, company.Id, from, ct);
        var reply = await replies.AddAsync(new ClientReplies.Reply(company.Id, projectId, author, body, now, from, providerId), ct);

        var keyword = OptOuts.Classify(body);
        switch (keyword)
        {
            case OptOuts.Keyword.OptOut:
            case OptOuts.Keyword.OptIn:
                await OptOuts.SetAsync(db, webhooks, company.Id, from, active: keyword == OptOuts.Keyword.OptOut, body.Trim(), now, ct);
                break;
            case OptOuts.Keyword.Help:
                Help(outbox, company, projectId, from, author?.Id, now);
                break;
        }
        // An MMS's pictures become documents of the project, committed with the reply (SPEC §14).
        var (staged, media) = projectId is null ? (null, []) : await inboundMedia.StageAsync(form, company.Id, sid, ct);
        await using var _ = staged;
        try
        {
            await using var transaction = media.Count > 0 ? await db.Database.BeginTransactionAsync(ct) : null;
            await replies.SaveAsync(reply, ct);
            if (transaction is not null)
            {
                db.Documents.AddRange(InboundMedia.Rows(media, reply, projectId!.Value));
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            }
            staged?.Keep();
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            logger.LogInformation("Inbound text {Sid} arrived twice at once; stored once", sid);
            return Twiml();
        }
        logger.LogInformation("Inbound text {Sid} stored as message {MessageId} of company {CompanyId} (project {ProjectId}, keyword {Keyword}, {Media} media)",
            sid, reply.Id, company.Id, projectId, keyword, media.Count);
        return Twiml();
    }

    static ContentHttpResult Twiml() => TypedResults.Text(EmptyTwiml, "text/xml");

    /// <summary>HELP/INFO: the company's help text, texted back through the outbox like any other message.</summary>
    static void Help(Outbox outbox, Company company, int? projectId, string to, int? contactId, DateTimeOffset now)
    {
        var text = string.IsNullOrWhiteSpace(company.HelpText)
            ? $"{company.Name}: reply to this number to reach your case team. Reply STOP to opt out."
            : company.HelpText.Trim();
        var message = new Message
        {
            CompanyId = company.Id, ProjectId = projectId, Direction = MessageDirection.Outbound, Kind = MessageKind.Help,
            AuthorName = "Casewire", Text = text, CreatedAt = now,
        };
        var item = new OutboxItem
        {
            CompanyId = company.Id, Message = message, Channel = Channel.Sms, To = to, From = company.SenderNumber, Body = text, ContactId = contactId,
        };
        message.Deliveries.Add(item);
        outbox.Enqueue(item);
    }

    /// <summary>The company a text to this number is for (SPEC §9).</summary>
    // Whose sender number (its own, else Twilio:From) is the To; among several, or none, the one that last
    // texted the sender; failing that, the only company.
    static async Task<Company?> CompanyForAsync(CasewireDb db, string to, string from, string? defaultFrom, CancellationToken ct)
    {
        var toIsDefault = !string.IsNullOrEmpty(defaultFrom) && defaultFrom == to;
        var owners = await db.Companies.AsNoTracking()
            .Where(c => c.SenderNumber == to || (toIsDefault && c.SenderNumber == null)).ToListAsync(ct);
        if (owners.Count == 1) return owners[0];

        var texts = db.OutboxItems.Where(o => o.Channel == Channel.Sms && o.To == from);
        if (owners.Count > 1)
        {
            var ids = owners.Select(c => c.Id).ToList();
            texts = texts.Where(o => ids.Contains(o.CompanyId));
        }
        var latest = await texts.OrderByDescending(o => o.Id).Select(o => (int?)o.CompanyId).FirstOrDefaultAsync(ct);
        if (latest is { } id) return await db.Companies.AsNoTracking().FirstAsync(c => c.Id == id, ct);
        if (owners.Count > 1) return null;
        var only = await db.Companies.AsNoTracking().Take(2).ToListAsync(ct);
        return only.Count == 1 ? only[0] : null;
    }

    /// <summary>The sender's most recently updated open project in the company, and the client who wrote.</summary>
    // A number shared by several contacts (a family) is credited to the project's client.
    static async Task<(int? ProjectId, Contact? Author)> ConversationOfAsync(CasewireDb db, int companyId, string from, CancellationToken ct)
    {
        var contacts = await db.Contacts.AsNoTracking().ForCompany(companyId).Where(c => c.Phone == from).OrderBy(c => c.Id).ToListAsync(ct);
        if (contacts.Count == 0) return (null, null);
        var ids = contacts.Select(c => c.Id).ToList();
        var project = await db.Projects.AsNoTracking()
            .ForCompany(companyId).Where(p => p.Status != ProjectStatus.Completed && p.Clients.Any(c => ids.Contains(c.ContactId)))
            .OrderByDescending(p => p.UpdatedAt).ThenByDescending(p => p.Id)
            .Select(p => new { p.Id, ClientId = p.Clients.Where(c => ids.Contains(c.ContactId)).OrderBy(c => c.Position).Select(c => c.ContactId).First() })
            .FirstOrDefaultAsync(ct);
        return project is null ? (null, contacts[0]) : (project.Id, contacts.First(c => c.Id == project.ClientId));
    }
}
