using System.Linq.Expressions;
using Casewire.Model;

namespace Casewire.Delivery;

/// <summary>
/// The outbox items one dispatcher loop claims: one lane per channel (docs/decisions.md). A provider that
/// stalls — an SMTP server taking its 30 s per command, a webhook endpoint hanging until <c>Webhooks:Timeout</c> —
/// fills only its own lane's parallel slots, never those of a text whose target is within a second of its due
/// time. Every channel is in exactly one lane.
/// </summary>
sealed class Lane
{
    public static readonly Lane Sms = new("sms", Channel.Sms);
    public static readonly Lane Email = new("email", Channel.Email);
    public static readonly Lane Webhooks = new("webhooks", Channel.Webhook);
    public static readonly IReadOnlyList<Lane> All = [Sms, Email, Webhooks];

    /// <summary>The lane that sends <paramref name="channel"/>'s items.</summary>
    public static Lane Of(Channel channel) => All.First(l => l.Channel == channel);

    /// <summary>The lane called <paramref name="name"/>, or null.</summary>
    public static Lane? Named(string name) => All.FirstOrDefault(l => l.Name == name);

    Lane(string name, Channel channel)
    {
        Name = name;
        Channel = channel;
        Holds = o => o.Channel == channel;
        Sql = $"\"Channel\" = '{channel}'";
    }

    public string Name { get; }

    public Channel Channel { get; }

    /// <summary>The lane's items, for LINQ queries.</summary>
    public Expression<Func<OutboxItem, bool>> Holds { get; }

    /// <summary>The same condition in SQL, for the claim statements (a constant, never input).</summary>
    public string Sql { get; }

    public override string ToString() => Name;
}
