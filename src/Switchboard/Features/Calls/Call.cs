using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Switchboard.Features.Chat.Rooms;
using Switchboard.Features.Users;

namespace Switchboard.Features.Calls;

public static class CallStates
{
    public const string Ringing = "ringing";
    public const string Active = "active";
    public const string Ended = "ended";
}

public static class CallMedia
{
    public const string Audio = "audio";
    public const string Video = "video";

    public static bool IsValid(string? media) => media is Audio or Video;
}

/// <summary>Where one person stands in a call.</summary>
public static class CallPresence
{
    /// <summary>Invited (a participant of the room when the call started) and not answered yet.</summary>
    public const string Ringing = "ringing";
    public const string Joined = "joined";
    public const string Left = "left";
    public const string Declined = "declined";
    /// <summary>Still ringing when the call ended unanswered, or its ring ran out.</summary>
    public const string Missed = "missed";
}

/// <summary>
/// A call in a chat room. <see cref="OpenRoomId"/> holds the room id while the call is open and null
/// once it ended: its unique index is what makes two calls started in one room at the same moment
/// yield one call and a 409, on SQLite and PostgreSQL alike.
/// </summary>
public sealed class Call
{
    public const int MaxParticipants = 4;

    public int Id { get; set; }
    public int RoomId { get; set; }
    public int? OpenRoomId { get; set; }
    public int StartedById { get; set; }
    public required string Media { get; set; }
    public required string State { get; set; }
    /// <summary>How many people are in the call now; only changed by conditional updates (see <see cref="CallService"/>).</summary>
    public int JoinedCount { get; set; }
    public DateTime StartedAt { get; set; }
    /// <summary>When someone besides the starter first joined: the call's duration counts from here.</summary>
    public DateTime? AnsweredAt { get; set; }
    /// <summary>A call still ringing at this moment ends unanswered (the sweeper's key).</summary>
    public DateTime RingDeadline { get; set; }
    public DateTime? EndedAt { get; set; }
    public List<CallParticipant> Participants { get; set; } = [];
}

public sealed class CallParticipant
{
    public long Id { get; set; }
    public int CallId { get; set; }
    public int UserId { get; set; }
    public User User { get; set; } = null!;
    public required string State { get; set; }
    public DateTime? JoinedAt { get; set; }
    public DateTime? LeftAt { get; set; }
}

internal sealed class CallConfiguration : IEntityTypeConfiguration<Call>
{
    public void Configure(EntityTypeBuilder<Call> b)
    {
        b.ToTable("calls");
        b.Property(c => c.Media).HasMaxLength(10);
        b.Property(c => c.State).HasMaxLength(10);
        b.HasIndex(c => c.OpenRoomId).IsUnique();
        b.HasIndex(c => new { c.State, c.RingDeadline });
        b.HasIndex(c => new { c.RoomId, c.Id });
        b.HasOne<ChatRoom>().WithMany().HasForeignKey(c => c.RoomId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<User>().WithMany().HasForeignKey(c => c.StartedById).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(c => c.Participants).WithOne().HasForeignKey(p => p.CallId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CallParticipantConfiguration : IEntityTypeConfiguration<CallParticipant>
{
    public void Configure(EntityTypeBuilder<CallParticipant> b)
    {
        b.ToTable("call_participants");
        b.Property(p => p.State).HasMaxLength(10);
        b.HasIndex(p => new { p.CallId, p.UserId }).IsUnique();
        b.HasIndex(p => new { p.UserId, p.State });
        b.HasOne(p => p.User).WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
