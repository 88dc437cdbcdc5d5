namespace Switchboard.Features.Notifications;

/// <summary>
/// Delivers a frame to every open user socket of one user, on whichever instance it is connected.
/// Called only after the change behind the frame is committed.
/// </summary>
public interface IUserPush
{
    ValueTask PushAsync(int userId, object frame, CancellationToken ct = default);
}
