using Switchboard.Infrastructure;

namespace Switchboard.Realtime;

/// <summary>The error frame for a socket action that threw: the socket's counterpart of the exception handler.</summary>
internal static class SocketFailures
{
    public static ErrorFrame ToErrorFrame(Exception e, SocketFrame frame, DatabaseOutage outage, ILogger logger)
    {
        // The frame's client_id comes back, so the client knows which pending message to retry.
        if (DatabaseOutage.IsUnavailable(e))
        {
            // One log line per outage (DatabaseOutage), not one per failed frame.
            outage.Report(e);
            return new ErrorFrame(ErrorCodes.Unavailable, "The service is briefly unavailable; nothing was changed. Try again shortly.", frame.ClientId);
        }
        logger.LogError(e, "A socket frame of type {FrameType} failed", frame.Type.Length > 40 ? frame.Type[..40] : frame.Type);
        return new ErrorFrame(ErrorCodes.ServerError, "The action failed; nothing was changed. Try again.", frame.ClientId);
    }
}
