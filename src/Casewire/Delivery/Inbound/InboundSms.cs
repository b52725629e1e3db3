using Casewire.Data;
using Casewire.Delivery.Sms;
using Casewire.Delivery.Webhooks;
using Casewire.Feedback;
using Casewire.Model;
using Casewire.Texts;
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
        HttpRequest request, CasewireDb db, Outbox outbox, ClientReplies replies, WebhookEvents webhooks, ClientTexts texts, SurveyAnswers answers, TimeProvider time,
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
            case OptOuts.Keyword.None:
                // SPEC §13: a score to an open survey; it stays in the conversation of the case that asked, closed or not.
                if (await answers.OnTextAsync(company.Id, author, body, ct) is { } survey) reply.ProjectId ??= survey.ProjectId;
                break;
            case OptOuts.Keyword.Help:
                Help(outbox, company, projectId, from, author?.Id,
                    await texts.TemplateAsync(company.Id, TextKeys.Help, Languages.For(author, company), company.HelpText?.Trim(), TextKind.Help, ct), now);
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

    /// <summary>HELP/INFO: the company's help text in the language of the client who wrote (SPEC §13), texted back through the outbox like any other message.</summary>
    static void Help(Outbox outbox, Company company, int? projectId, string to, int? contactId, string template, DateTimeOffset now)
    {
        var text = template.Replace("{company.name}", company.Name, StringComparison.OrdinalIgnoreCase);
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
    // A company's own number is its alone (a unique index), so a text to it is that company's. The installation's
    // Twilio:From is shared — even by a company that stored it as its own before numbers were checked — and a text to
    // it (or to a number no company holds, such as a messaging service's) belongs to the company that last texted the
    // sender; failing that, to the only company.
    static async Task<Company?> CompanyForAsync(CasewireDb db, string to, string from, string? sharedFrom, CancellationToken ct)
    {
        if (to != sharedFrom)
        {
            var owner = await db.Companies.AsNoTracking().FirstOrDefaultAsync(c => c.SenderNumber == to, ct);
            if (owner is not null) return owner;
        }
        var latest = await db.OutboxItems.Where(o => o.Channel == Channel.Sms && o.To == from)
            .OrderByDescending(o => o.Id).Select(o => (int?)o.CompanyId).FirstOrDefaultAsync(ct);
        if (latest is { } id) return await db.Companies.AsNoTracking().FirstAsync(c => c.Id == id, ct);
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
