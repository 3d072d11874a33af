// The API answers in English. The messages staff meet on these screens are shown in Swedish when
// Swedish is chosen; anything not listed here is shown as the API wrote it.
const SWEDISH: Array<[RegExp, string]> = [
  [/must be longer than or equal to 1 characters|should not be empty/, 'Fyll i fältet.'],
  [/must be shorter than or equal to (\d+) characters/, 'Högst $1 tecken.'],
  [/must be a valid ISO 8601 date string|must be a valid date/, 'Ange ett giltigt datum.'],
  [/^Say why you disagree|comment is required when you disagree/, 'Skriv varför du inte instämmer.'],
  [/^The deadline must be in the future/, 'Sista dag att rösta måste vara framåt i tiden.'],
  [/^The deadline may be at most (\d+) days ahead/, 'Sista dag att rösta får vara högst $1 dagar framåt.'],
  [/^A discharge proposal must name the care episode/, 'Välj vilken aktualitet som ska avslutas.'],
  [/^The care episode has already ended/, 'Aktualiteten är redan avslutad.'],
  [/^The person must consent to the plan before it is activated/, 'Personen måste ha samtyckt till planen innan den fastställs.'],
  [/^The person's consent has expired/, 'Personens samtycke har gått ut; registrera ett nytt samtycke.'],
  [/^Consent cannot end before it was given/, 'Samtycket kan inte upphöra innan det lämnades.'],
  [/^A plan in force must name the principal with overall responsibility/, 'En fastställd plan måste ange vem som har övergripande ansvar.'],
  [/^A plan in force must contain at least one intervention/, 'En fastställd plan måste ha minst en insats.'],
  [/^A plan in force must have a follow-up date/, 'En fastställd plan måste ha ett datum för uppföljning.'],
  [/^The follow-up date cannot be in the past/, 'Uppföljningen kan inte ligga bakåt i tiden.'],
  [/^Interventions are the responsibility of the municipality or the region/, 'Insatser ansvarar kommunen eller regionen för; andra aktörers åtaganden skrivs som andra aktörer.'],
  [/^The organisation does not belong to the (responsible )?principal/, 'Organisationen hör inte till den huvudman som har ansvaret.'],
  [/^A meeting is planned for a time in the future/, 'Mötet måste ligga framåt i tiden.'],
  [/^A meeting needs at least one participant from staff|must contain at least 1 elements/, 'Välj minst en deltagare.'],
  [/^Every participant must be an active staff member/, 'Alla deltagare måste vara aktiva medarbetare.'],
  [/^Only participants of the meeting can be recorded as attending/, 'Bara mötets deltagare kan registreras som närvarande.'],
  [/^The meeting is (held|cancelled)/, 'Mötet är redan hållet eller inställt.'],
  [/^A check cannot be recorded as done in the future/, 'En kontroll kan inte vara gjord i framtiden.'],
  [/must be a date \(YYYY-MM-DD\)/, 'Ange ett giltigt datum.'],
  [/^Quiet hours need both a start and an end/, 'Tysta timmar behöver både början och slut.'],
  [/^Give a date and time/, 'Ange datum och tid.'],
  // Why a proposal closed, and why a discharge request was refused (shown on the decisions page).
  [/^Every member of the electorate agreed/, 'Alla röstberättigade instämde.'],
  [/^Closed at the deadline with at least one member disagreeing/, 'Stängt vid sista dag att rösta: minst en instämde inte.'],
  [/^The deadline passed before every member had voted/, 'Sista dag att rösta passerade innan alla hade röstat.'],
  [/^The membership of the collaboration group changed; propose again/, 'Samverkansgruppens sammansättning ändrades; lägg förslaget igen.'],
  [/^The episode ended: /, 'Aktualiteten avslutades av annat skäl än utskrivning.'],
  [/^The collaboration group has not agreed yet: the discharge proposal is still open/, 'Samverkansgruppen har inte kommit överens än: förslaget om utskrivning är fortfarande öppet.'],
  [/^The collaboration group has not agreed: there is no discharge proposal/, 'Samverkansgruppen har inte kommit överens: det finns inget förslag om utskrivning.'],
  [/^The collaboration group has not agreed: the latest discharge proposal was/, 'Samverkansgruppen har inte kommit överens: det senaste förslaget om utskrivning godkändes inte.'],
  [/^The approved decision has already been used/, 'Det godkända beslutet är redan använt.'],
  [/^The approved decision has expired/, 'Det godkända beslutet har gått ut; lägg ett nytt förslag.'],
  [/^The episode had already ended/, 'Aktualiteten var redan avslutad.'],
];

export function translateApiMessage(message: string, language: 'sv' | 'en'): string {
  if (language !== 'sv') return message;
  // "Invalid input: input.content.personGoals: must be ..." carries the path first; the field shows it already.
  const text = message.replace(/^Invalid input: [\w.]+: /, '');
  for (const [pattern, swedish] of SWEDISH) if (pattern.test(text)) return text.replace(new RegExp(`^.*?(?:${pattern.source}).*$`), swedish);
  return message;
}
