namespace Switchboard.Realtime;

/// <summary>What a user event does to the user's sockets besides delivering its frame.</summary>
public enum UserEventEffect : byte
{
    None,
    /// <summary>The user sockets start carrying room <see cref="UserEvent.SubjectId"/> (before the frame goes out).</summary>
    JoinRoom,
    /// <summary>The user sockets stop carrying room <see cref="UserEvent.SubjectId"/> at once.</summary>
    LeaveRoom,
    /// <summary>
    /// The user left project <see cref="UserEvent.SubjectId"/>: its topic subscriptions (the project's
    /// and its tickets') end at once, and each socket that had any is told with <c>unsubscribed</c>.
    /// </summary>
    LeaveProject,
}

/// <summary>
/// A frame for the user sockets of some users (<c>room_added</c>, <c>presence_changed</c>,
/// notifications...), on whatever instance they are connected. Published after commit.
/// <paramref name="Frame"/> may be null when only the effect matters.
/// </summary>
public sealed record UserEvent(IReadOnlyList<int> UserIds, object? Frame, UserEventEffect Effect = UserEventEffect.None, int SubjectId = 0)
{
    public UserEvent(int userId, object? frame, UserEventEffect effect = UserEventEffect.None, int subjectId = 0)
        : this([userId], frame, effect, subjectId)
    {
    }
}

/// <summary>Sends a frame to users' sockets across every instance. This is how a feature reaches a person.</summary>
public interface IUserEvents
{
    ValueTask PublishAsync(UserEvent userEvent, CancellationToken ct = default);
}

/// <summary>
/// A frame for every socket subscribed to any of <paramref name="Topics"/> (e.g. <c>project:5</c>
/// and <c>ticket:42</c>); a socket subscribed to several of them gets it once.
/// </summary>
public sealed record TopicEvent(IReadOnlyList<string> Topics, object Frame);

/// <summary>Sends a frame to topic subscribers across every instance.</summary>
public interface ITopicEvents
{
    ValueTask PublishAsync(TopicEvent topicEvent, CancellationToken ct = default);
}

/// <summary>The embedded default: user and topic events go straight to this process's sockets.</summary>
public sealed class InProcessUserEvents(ConnectionRegistry registry) : IUserEvents, ITopicEvents
{
    public ValueTask PublishAsync(UserEvent userEvent, CancellationToken ct = default)
    {
        registry.Deliver(userEvent);
        return ValueTask.CompletedTask;
    }

    public ValueTask PublishAsync(TopicEvent topicEvent, CancellationToken ct = default)
    {
        registry.Deliver(topicEvent);
        return ValueTask.CompletedTask;
    }
}
