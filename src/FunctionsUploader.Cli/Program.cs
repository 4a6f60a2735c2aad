using System.Runtime.InteropServices;
using FunctionsUploader.Cli;

using var stop = new CancellationTokenSource();

// The first Ctrl+C (or SIGTERM) stops the job cleanly: the engine keeps what finished, for `uploader resume`. A second
// one ends the process at once.
void Stop(PosixSignalContext signal)
{
    signal.Cancel = !stop.IsCancellationRequested;
    stop.Cancel();
}

using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

return await UploaderCli.RunAsync(args, Console.Out, Console.Error, stop.Token);
