package lsa

// passage is a short government-style text of the test corpus.
type passage struct {
	id   string
	text string
}

// corpus is a small Dutch corpus written for these tests, in the style of
// municipal and national government pages.
var corpus = []passage{
	{"bijstand-aanvragen", "Bijstand aanvragen. Heeft u te weinig inkomen om van te leven en geen recht op een andere uitkering? Dan kunt u bij de gemeente een bijstandsuitkering aanvragen. U vraagt de uitkering aan via het werkplein. Neem uw identiteitsbewijs, bankafschriften van de laatste drie maanden en uw huurcontract mee."},
	{"bijstand-voorwaarden", "Voorwaarden voor de bijstand. U woont in Nederland en bent 18 jaar of ouder. Uw inkomen en vermogen zijn lager dan de bijstandsnorm. Heeft u een eigen huis, een spaarrekening of een auto met een hoge waarde, dan telt dat mee als vermogen. Jongeren onder de 27 jaar moeten eerst vier weken zelf naar werk of een opleiding zoeken."},
	{"bijstand-vakantiegeld", "Vakantiegeld in de bijstand. Krijgt u een bijstandsuitkering? Dan spaart u elke maand een deel van uw uitkering als vakantiegeld. Het vakantiegeld wordt één keer per jaar in mei uitbetaald. Stopt uw uitkering eerder, dan krijgt u het opgebouwde vakantiegeld bij de laatste betaling."},
	{"bijstand-wijzigingen", "Wijzigingen doorgeven als u bijstand krijgt. Gaat u samenwonen, krijgt u werk of erft u geld? Geef wijzigingen binnen een week door aan de gemeente met het wijzigingsformulier. Doet u dat niet, dan moet u te veel ontvangen uitkering terugbetalen en kunt u een boete krijgen."},
	{"bijstand-werk", "Werken naast de bijstand. Vindt u parttime werk, dan mag u een deel van uw inkomsten houden. De gemeente verrekent uw loon met de uitkering. Stuur elke maand uw loonstrook op. Met de inkomstenvrijlating houdt u zes maanden lang 25 procent van uw loon, tot een maximum per maand."},
	{"kinderopvangtoeslag-aanvragen", "Kinderopvangtoeslag aanvragen. Gaat uw kind naar een geregistreerde kinderopvang, zoals een kinderdagverblijf, buitenschoolse opvang of gastouder? Dan kunt u kinderopvangtoeslag aanvragen bij Dienst Toeslagen. Vraag de toeslag aan binnen drie maanden na de eerste opvangdag. U heeft het registratienummer van de opvang nodig uit het Landelijk Register Kinderopvang."},
	{"kinderopvangtoeslag-uren", "Hoeveel uren kinderopvang krijgt u vergoed? De kinderopvangtoeslag geldt voor een maximaal aantal uren per maand. Dat aantal hangt af van het aantal uren dat de ouder met de minste werkuren werkt. Voor buitenschoolse opvang geldt een lager maximum uurtarief dan voor de dagopvang."},
	{"huurtoeslag", "Huurtoeslag. Huurt u een woning en is uw inkomen niet zo hoog? Dan kunt u misschien huurtoeslag krijgen als bijdrage in de huurkosten. Hoeveel huurtoeslag u krijgt, hangt af van uw inkomen, uw vermogen, de hoogte van de huur en wie er bij u woont. Maak een proefberekening op de website van Dienst Toeslagen."},
	{"zorgtoeslag", "Zorgtoeslag. Heeft u een Nederlandse zorgverzekering en een laag inkomen? Dan heeft u misschien recht op zorgtoeslag, een bijdrage in de kosten van de premie van uw zorgverzekering. U vraagt zorgtoeslag aan met uw DigiD bij Dienst Toeslagen."},
	{"zorgtoeslag-terugbetalen", "Toeslag terugbetalen. Heeft u te veel zorgtoeslag of huurtoeslag ontvangen, bijvoorbeeld omdat uw inkomen hoger was dan u had doorgegeven? Dan moet u het bedrag terugbetalen. U krijgt een terugvorderingsbeschikking. Kunt u niet in één keer betalen, vraag dan een betalingsregeling aan bij Dienst Toeslagen."},
	{"kindgebonden-budget", "Kindgebonden budget. Heeft u kinderen onder de 18 jaar? Dan krijgt u misschien kindgebonden budget, een bijdrage in de kosten van uw kinderen. U hoeft het niet aan te vragen als u kinderbijslag krijgt: Dienst Toeslagen kijkt zelf of u er recht op heeft. Het bedrag hangt af van uw inkomen en het aantal kinderen."},
	{"kinderbijslag", "Kinderbijslag. De Sociale Verzekeringsbank (SVB) betaalt kinderbijslag aan ouders van kinderen tot 18 jaar, elk kwartaal. Na de geboorte stuurt de SVB u vanzelf een formulier. Kinderbijslag is niet afhankelijk van uw inkomen."},
	{"paspoort-aanvragen", "Paspoort aanvragen. U vraagt een paspoort aan bij de gemeente waar u woont. Maak eerst een afspraak. Neem een goedgekeurde pasfoto en uw oude paspoort of identiteitskaart mee. Na ongeveer een week kunt u het nieuwe paspoort ophalen. Het paspoort is tien jaar geldig."},
	{"paspoort-kwijt", "Paspoort kwijt of gestolen. Bent u uw paspoort kwijtgeraakt of is het gestolen? Doe dan eerst aangifte of een melding van vermissing bij de gemeente. Daarna vraagt u een nieuw paspoort aan. Het verloren reisdocument wordt ongeldig gemaakt en kunt u niet meer gebruiken, ook niet als u het terugvindt."},
	{"idkaart-kind", "Identiteitskaart voor kinderen. Ook kinderen hebben een eigen identiteitskaart of paspoort nodig om te reizen. Voor een kind onder de 12 jaar komt een ouder met gezag mee naar de afspraak en geeft toestemming. Een identiteitskaart van een kind is vijf jaar geldig."},
	{"rijbewijs-verlengen", "Rijbewijs verlengen. Verloopt uw rijbewijs binnenkort? Vraag dan een nieuw rijbewijs aan bij de gemeente. Vanaf 75 jaar heeft u eerst een gezondheidsverklaring van het CBR nodig. Het nieuwe rijbewijs is na vijf werkdagen klaar."},
	{"verhuizen", "Verhuizing doorgeven. Gaat u verhuizen? Geef uw nieuwe adres door aan de gemeente waar u gaat wonen, van vier weken voor tot vijf dagen na de verhuisdatum. Dat kan online met DigiD. De gemeente geeft uw nieuwe adres door aan andere overheidsinstanties zoals de Belastingdienst."},
	{"geboorteaangifte", "Geboorteaangifte doen. Is uw kind geboren? Doe binnen drie werkdagen aangifte van de geboorte bij de gemeente waar het kind is geboren. Neem uw identiteitsbewijs mee. Het kind wordt dan ingeschreven in de Basisregistratie Personen en krijgt een burgerservicenummer."},
	{"digid", "DigiD aanvragen of wachtwoord vergeten. Met DigiD logt u in bij de overheid. Bent u uw wachtwoord of gebruikersnaam vergeten, dan kunt u die herstellen op de website van DigiD. U krijgt een brief met een code op uw woonadres. Gebruik ook de DigiD app voor veilig inloggen."},
	{"grofvuil", "Grofvuil laten ophalen. Grof afval zoals meubels, matrassen en tapijt past niet in de container. Maak online een afspraak en de gemeente haalt het grofvuil gratis bij u aan de straat op. Zet het grofvuil pas op de ophaaldag voor 7.30 uur buiten. U kunt grofvuil ook zelf naar het afvalpunt brengen."},
	{"afvalkalender", "Afvalkalender. Op de afvalkalender ziet u op welke dag het restafval, gft en papier bij u worden opgehaald. Vul uw postcode en huisnummer in. Zet de container de avond voor de ophaaldag aan de straat, met het handvat naar de weg."},
	{"afvalstoffenheffing", "Afvalstoffenheffing. De gemeente rekent afvalstoffenheffing voor het ophalen en verwerken van huishoudelijk afval. De hoogte hangt af van het aantal personen in uw huishouden. U betaalt de heffing via de gecombineerde aanslag gemeentelijke belastingen."},
	{"afval-scheiden", "Afval scheiden. Gooi plastic verpakkingen, blik en drinkpakken in de container voor pmd. Glas brengt u naar de glasbak en oud papier naar de papiercontainer. Klein chemisch afval, zoals batterijen en verf, brengt u naar het afvalpunt."},
	{"container-kapot", "Container kapot of gestolen. Is uw minicontainer voor restafval of gft beschadigd of gestolen? Meld het via het meldformulier van de gemeente. U krijgt binnen twee weken een nieuwe container. Bij diefstal vragen wij om een proces-verbaal van de politie."},
	{"kwijtschelding", "Kwijtschelding gemeentelijke belastingen. Heeft u een laag inkomen en weinig vermogen? Dan hoeft u de gemeentelijke belastingen misschien niet te betalen. Vraag kwijtschelding aan voor de afvalstoffenheffing en de rioolheffing binnen drie maanden na de datum van de aanslag. Heeft u een bijstandsuitkering, dan krijgt u vaak automatisch kwijtschelding."},
	{"kwijtschelding-afgewezen", "Kwijtschelding afgewezen. Is uw verzoek om kwijtschelding afgewezen en bent u het er niet mee eens? Dan kunt u binnen zes weken beroep aantekenen bij de directeur belastingen. Leg in uw brief uit waarom u het niet eens bent met de beslissing en stuur bewijsstukken mee."},
	{"ozb", "Onroerendezaakbelasting (ozb). Bent u eigenaar van een woning of bedrijfspand, dan betaalt u onroerendezaakbelasting. De gemeente berekent de ozb op basis van de WOZ-waarde van uw pand. Bent u het niet eens met de WOZ-waarde, dan kunt u bezwaar maken."},
	{"betalingsregeling", "Betalingsregeling gemeentelijke belastingen. Kunt u de aanslag gemeentelijke belastingen niet in één keer betalen? Betaal dan in termijnen met automatische incasso. De gemeente schrijft het bedrag in tien maanden af van uw rekening. Geef de machtiging af voor de vervaldatum van de eerste termijn."},
	{"bezwaar-aanslag", "Bezwaar maken tegen de aanslag. Klopt uw aanslag niet? Maak dan binnen zes weken na de dagtekening bezwaar. Dat kan online met DigiD of met een brief. Zet in uw bezwaarschrift het aanslagnummer en de reden van uw bezwaar. U moet de aanslag wel op tijd betalen."},
	{"wmo-huishoudelijke-hulp", "Huishoudelijke hulp via de Wmo. Kunt u door ziekte, ouderdom of een beperking uw huis niet meer zelf schoonhouden? Dan kunt u via de Wet maatschappelijke ondersteuning (Wmo) hulp bij het huishouden krijgen. Neem contact op met het Wmo-loket van de gemeente. Een consulent komt bij u thuis voor een gesprek."},
	{"wmo-hulpmiddelen", "Hulpmiddelen via de Wmo. Heeft u een rolstoel, scootmobiel of andere hulpmiddelen nodig om u te verplaatsen? Vraag een maatwerkvoorziening aan bij het Wmo-loket van de gemeente. U betaalt een eigen bijdrage van maximaal 21,80 euro per maand via het CAK."},
	{"wmo-woningaanpassing", "Woningaanpassing. Is uw woning niet meer geschikt door een handicap, bijvoorbeeld omdat u de trap niet meer op kunt? De gemeente kan via de Wmo een traplift, een aangepaste badkamer of een drempelhulp vergoeden. Soms is verhuizen naar een geschikte woning de beste oplossing."},
	{"wmo-eigen-bijdrage", "Eigen bijdrage Wmo. Voor hulp en voorzieningen uit de Wmo betaalt u meestal een eigen bijdrage. Het CAK berekent en int deze bijdrage. De eigen bijdrage is voor iedereen hetzelfde, ongeacht uw inkomen, maar met bijstand of een minimumuitkering kunt u een vergoeding krijgen."},
	{"mantelzorg", "Mantelzorg. Zorgt u langdurig voor een zieke partner, ouder of kind? Dan bent u mantelzorger. De gemeente biedt ondersteuning, zoals respijtzorg, zodat u de zorg even kunt overdragen. Eens per jaar kunt u het mantelzorgcompliment aanvragen."},
	{"schuldhulp", "Schuldhulpverlening. Heeft u geldzorgen of schulden en kunt u uw rekeningen niet meer betalen? De gemeente helpt u gratis met schuldhulpverlening. Een schuldhulpverlener maakt samen met u een overzicht van uw inkomsten, uitgaven en schuldeisers en zoekt naar een oplossing."},
	{"schuldsanering", "Schuldsanering (Wsnp). Lukt het niet om met uw schuldeisers een regeling te treffen? Dan kan de rechter u toelaten tot de Wet schuldsanering natuurlijke personen. U leeft dan drie jaar van een laag budget en daarna worden de overgebleven schulden kwijtgescholden."},
	{"beslag-loon", "Beslag op uw loon of uitkering. Heeft een schuldeiser beslag gelegd op uw loon of uitkering? Dan mag de deurwaarder niet alles inhouden. Er blijft altijd een beslagvrije voet over om van te leven. Controleer of de beslagvrije voet goed is berekend."},
	{"energietoeslag", "Energietoeslag. Huishoudens met een laag inkomen konden een eenmalige energietoeslag krijgen voor de hoge energierekening. Heeft u een bijstandsuitkering, dan kreeg u de energietoeslag automatisch. Anders vraagt u de toeslag aan bij de gemeente met uw bankafschriften."},
	{"stadspas", "Stadspas. Met de stadspas krijgen inwoners met een laag inkomen korting op sport, cultuur en uitjes. Kinderen met een stadspas kunnen gratis zwemles krijgen. De pas is gratis en u vraagt hem aan bij de gemeente."},
	{"parkeervergunning", "Parkeervergunning aanvragen. Woont u in een gebied met betaald parkeren? Dan kunt u een parkeervergunning voor bewoners aanvragen. Per adres worden maximaal twee vergunningen uitgegeven. Er kan een wachtlijst zijn. De vergunning is gekoppeld aan het kenteken van uw auto."},
	{"gehandicaptenparkeerkaart", "Gehandicaptenparkeerkaart. Kunt u door een handicap niet ver lopen? Met een gehandicaptenparkeerkaart mag u parkeren op een invalidenparkeerplaats. Vraag de kaart aan bij de gemeente. Een arts beoordeelt of u er recht op heeft."},
	{"huwelijk", "Trouwen of geregistreerd partnerschap. Wilt u trouwen? Doe dan minstens twee weken en hoogstens een jaar voor de trouwdatum een melding voorgenomen huwelijk bij de gemeente. U heeft twee tot vier getuigen nodig. Een gratis huwelijk op het stadhuis kan op maandagochtend."},
	{"aow", "AOW-pensioen. De AOW is het basispensioen van de overheid. U krijgt AOW vanaf de AOW-leeftijd. De SVB stuurt u ongeveer zes maanden daarvoor een brief. De hoogte van de AOW hangt af van het aantal jaren dat u in Nederland woonde of werkte."},
	{"ww-uitkering", "WW-uitkering. Bent u werkloos geworden? Dan heeft u misschien recht op een WW-uitkering van het UWV. Schrijf u in als werkzoekende en vraag de werkloosheidsuitkering aan binnen een week na uw laatste werkdag."},
	{"bouwvergunning", "Omgevingsvergunning voor een verbouwing. Wilt u een dakkapel plaatsen, een aanbouw bouwen of een boom kappen? Soms heeft u een omgevingsvergunning nodig. Doe eerst de vergunningcheck in het Omgevingsloket. De gemeente beslist binnen acht weken."},
	{"melding-openbare-ruimte", "Melding openbare ruimte. Ziet u een losse stoeptegel, een kapotte lantaarnpaal of zwerfvuil op straat? Doe een melding openbare ruimte via de website of de app van de gemeente. U kunt een foto toevoegen. Wij lossen de melding meestal binnen vijf werkdagen op."},
	{"leerlingenvervoer", "Leerlingenvervoer. Kan uw kind door een beperking niet zelfstandig naar school reizen, of is de school ver weg? Dan vergoedt de gemeente soms het vervoer, bijvoorbeeld een taxibusje of een vergoeding voor het openbaar vervoer. Vraag leerlingenvervoer voor 1 mei aan voor het nieuwe schooljaar."},
	{"jeugdhulp", "Jeugdhulp. Heeft uw kind problemen met opvoeden, opgroeien of zijn gedrag? Het wijkteam denkt met u mee en kan jeugdhulp inzetten. Met een verwijzing van de huisarts kunt u ook direct naar een jeugdhulpaanbieder."},
	{"hondenbelasting", "Hondenbelasting. Heeft u een hond? Dan betaalt u hondenbelasting. Meld uw hond binnen een maand aan bij de gemeente. Heeft u meer honden, dan betaalt u per hond een hoger tarief. Een geleidehond of hulphond is vrijgesteld."},
	{"woonfraude", "Woonfraude melden. Vermoedt u dat een woning illegaal wordt onderverhuurd, of dat er veel meer mensen op een adres staan ingeschreven dan er wonen? Meld woonfraude anoniem bij de gemeente. Wij onderzoeken elke melding."},
}

// queryCase is a query and the passage that must rank first for it.
type queryCase struct {
	query string
	want  string
}

var queries = []queryCase{
	{"toeslag voor kinderopvang", "kinderopvangtoeslag-aanvragen"},
	{"uitkering bijstand aanvragen", "bijstand-aanvragen"},
	{"bijstandsuitkering aanvragen", "bijstand-aanvragen"},
	{"paspoord kwijt", "paspoort-kwijt"},
	{"kwijtscheling gemeentelijke belasting", "kwijtschelding"},
	{"hoeveel huurtoeslag krijg ik", "huurtoeslag"},
	{"grofvuil laten ophalen", "grofvuil"},
	{"ik heb schulden en kan mijn rekeningen niet betalen", "schuldhulp"},
	{"hulp in de huishouding", "wmo-huishoudelijke-hulp"},
	{"rolstoel nodig", "wmo-hulpmiddelen"},
	{"id kaart voor mijn kind", "idkaart-kind"},
	{"zorgtoeslag terugbetalen", "zorgtoeslag-terugbetalen"},
	{"nieuw adres doorgeven", "verhuizen"},
	{"digid wachtwoord kwijt", "digid"},
	{"vakantiegeld bijstand", "bijstand-vakantiegeld"},
	{"wanneer wordt het restafval opgehaald", "afvalkalender"},
	{"belastingaanslag in termijnen betalen", "betalingsregeling"},
	{"minicontainer gestolen", "container-kapot"},
	{"traplift", "wmo-woningaanpassing"},
}
