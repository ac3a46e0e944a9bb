"""A third-party synthesising voice whose audio (WAV) the host does not serve: it must fall back."""

from core import CallContext, Register, SpeechAudio, Voice, hookimpl

NAME = "wav_voice"


class WavVoice(Voice):
    async def speak(self, call: CallContext, text: str, language: str | None) -> SpeechAudio:
        return SpeechAudio(audio=b"RIFF\x24\x00\x00\x00WAVEfmt ", content_type="audio/wav", voice="wav")


@hookimpl
def register_voices(register: Register) -> None:
    register("wav", WavVoice(), output="audio")
