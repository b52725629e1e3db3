using System.Linq.Expressions;
using Casewire.Model;

namespace Casewire.Delivery;

/// <summary>
/// The outbox items one dispatcher loop claims. Webhook calls have a lane of their own, so an endpoint
/// that hangs until <c>Webhooks:Timeout</c> holds back only other webhook calls, never a text or an
/// email (whose target is within a second of its due time). Every channel is in exactly one lane.
/// </summary>
sealed class Lane
{
    /// <summary>Texts and emails: every channel but webhooks.</summary>
    public static readonly Lane Messages = new("messages", webhooks: false);
    public static readonly Lane Webhooks = new("webhooks", webhooks: true);
    public static readonly IReadOnlyList<Lane> All = [Messages, Webhooks];

    Lane(string name, bool webhooks)
    {
        Name = name;
        Holds = webhooks ? o => o.Channel == Channel.Webhook : o => o.Channel != Channel.Webhook;
        Sql = webhooks ? "\"Channel\" = 'Webhook'" : "\"Channel\" <> 'Webhook'";
    }

    public string Name { get; }

    /// <summary>The lane's items, for LINQ queries.</summary>
    public Expression<Func<OutboxItem, bool>> Holds { get; }

    /// <summary>The same condition in SQL, for the claim statements (a constant, never input).</summary>
    public string Sql { get; }

    public override string ToString() => Name;
}
