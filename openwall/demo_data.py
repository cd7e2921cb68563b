"""Demo content for Open Wall: sample Brussels issues, comments and official answers in FR, NL and EN."""

from __future__ import annotations

ISSUES = [
    {
        "title": "Trottoirs défoncés sur la chaussée de Gand entre la place Communale et Osseghem",
        "description": (
            "Depuis l'hiver dernier, les dalles du trottoir de la chaussée de Gand sont soulevées ou manquantes sur "
            "plusieurs centaines de mètres, surtout à hauteur des arrêts de bus. Les personnes âgées, les parents avec "
            "poussette et les personnes en chaise roulante doivent marcher sur la chaussée, au milieu des voitures. "
            "Une réfection complète avec des dalles antidérapantes et un contrôle systématique après chaque chantier "
            "d'impétrants changeraient beaucoup."
        ),
        "topic": "urbanism",
        "district": "molenbeek-saint-jean",
        "language": "fr",
    },
    {
        "title": "Chaussée de Gand : les piétons slaloment entre les pavés cassés",
        "description": (
            "Je fais mes courses tous les jours chaussée de Gand et le trottoir est dans un état lamentable : pavés "
            "descellés, trous remplis d'eau dès qu'il pleut, bordures cassées. Ma voisine est tombée le mois passé pas "
            "loin du métro Comte de Flandre. Il faudrait au minimum boucher les trous en urgence, puis planifier une "
            "rénovation du trottoir en concertation avec les commerçants."
        ),
        "topic": "urbanism",
        "district": "molenbeek-saint-jean",
        "language": "fr",
    },
    {
        "title": "Cours d'école transformées en îlots de chaleur dès le mois de juin",
        "description": (
            "Dans plusieurs écoles communales de Schaerbeek, la cour est entièrement bétonnée et sans aucune ombre : "
            "en juin, on dépasse les 35 °C à midi. Les enfants restent en classe pendant la récréation ou se serrent "
            "le long des murs. Ce qui aiderait :\n"
            "- désimperméabiliser une partie de la cour ;\n"
            "- planter des arbres et installer des voiles d'ombrage ;\n"
            "- associer les élèves et les parents au réaménagement."
        ),
        "topic": "urbanism",
        "district": "schaerbeek",
        "language": "fr",
    },
    {
        "title": "Fruits et légumes encore bons jetés à la fin du marché du Midi",
        "description": (
            "Chaque dimanche vers 13 h 30, à la fin du marché du Midi, des cageots entiers de fruits et légumes encore "
            "bons finissent dans les bennes. Pendant ce temps, les associations d'aide alimentaire de Saint-Gilles "
            "manquent de produits frais. Un point de collecte fixe avec une camionnette frigorifique et des bénévoles, "
            "organisé avec les marchands, permettrait de redistribuer ces invendus le jour même."
        ),
        "topic": "consumption",
        "district": "saint-gilles",
        "language": "fr",
    },
    {
        "title": "Pas assez de repair cafés pour réparer au lieu de jeter",
        "description": (
            "Les repair cafés existants sont pris d'assaut : il faut parfois attendre deux heures avec son grille-pain "
            "ou sa machine à coudre, et la plupart n'ont lieu qu'une fois par mois. Résultat, beaucoup d'appareils "
            "réparables finissent au Recypark. Avec **des locaux communaux gratuits**, un peu d'outillage et une "
            "petite aide pour former des bénévoles, on pourrait en ouvrir un dans chaque commune."
        ),
        "topic": "consumption",
        "district": None,
        "language": "fr",
    },
    {
        "title": "Barquettes et gobelets jetables partout au marché de la place Flagey",
        "description": (
            "Au marché de la place Flagey, presque tous les stands de plats à emporter servent dans des barquettes et "
            "des gobelets jetables. Le samedi en fin de journée, les poubelles débordent et les déchets s'envolent "
            "jusqu'aux étangs d'Ixelles. Un système de contenants consignés commun à tous les stands, avec un point de "
            "retour bien visible, réduirait fortement les déchets."
        ),
        "topic": "consumption",
        "district": "ixelles",
        "language": "fr",
    },
    {
        "title": "Les ateliers de la zone du canal à Cureghem poussés dehors par les projets de logements",
        "description": (
            "Le long du canal à Cureghem, plusieurs ateliers de menuiserie, de mécanique et de ferronnerie ont reçu "
            "leur préavis parce que les bâtiments vont être transformés en logements. Ces petites entreprises "
            "emploient des gens du quartier et ne trouvent rien d'abordable ailleurs à Bruxelles. Il faudrait garantir "
            "des surfaces productives à loyer modéré dans chaque nouveau projet de la zone du canal."
        ),
        "topic": "production",
        "district": "anderlecht",
        "language": "fr",
    },
    {
        "title": "Pas de cuisine professionnelle partagée pour les petits producteurs de Forest",
        "description": (
            "Les petits traiteurs, boulangers et producteurs de conserves de Forest n'ont pas accès à une cuisine "
            "professionnelle agréée, ce qui les empêche de vendre légalement leurs produits. Beaucoup travaillent donc "
            "dans leur cuisine privée ou abandonnent. Une cuisine partagée à louer à l'heure, par exemple dans un "
            "ancien bâtiment industriel près de l'avenue Van Volxem, permettrait de se lancer sans investir des "
            "dizaines de milliers d'euros."
        ),
        "topic": "production",
        "district": "forest",
        "language": "fr",
    },
    {
        "title": "Cellules commerciales vides entre la Bourse et la place Fontainas",
        "description": (
            "Depuis la crise sanitaire, de nombreuses cellules commerciales restent vides entre la Bourse et la place "
            "Fontainas, certaines depuis plus de trois ans. Les vitrines taguées donnent une impression d'abandon et "
            "découragent les passants. Une taxe plus forte sur les cellules vides et des baux temporaires à prix "
            "réduit pour des artisans, des artistes ou de jeunes commerçants redonneraient vie au quartier."
        ),
        "topic": "economics",
        "district": "bruxelles",
        "language": "fr",
    },
    {
        "title": "Des loyers qui explosent à Saint-Josse pour les familles",
        "description": (
            "À Saint-Josse, un appartement deux chambres se loue aujourd'hui facilement 1 100 euros hors charges, soit "
            "bien plus de la moitié des revenus de beaucoup de ménages du quartier. Des familles vivent à cinq dans un "
            "appartement une chambre, souvent humide. Faire réellement respecter la grille indicative des loyers et "
            "confier davantage de logements à des agences immobilières sociales aideraient déjà beaucoup."
        ),
        "topic": "economics",
        "district": "saint-josse-ten-noode",
        "language": "fr",
    },
    {
        "title": "Trop peu de stages pour les jeunes qui sortent du secondaire professionnel",
        "description": (
            "Beaucoup de jeunes de Koekelberg qui terminent une option technique ou professionnelle ne trouvent pas de "
            "stage, faute de réseau et parfois à cause de leur nom ou de leur adresse. Sans première expérience, ils "
            "restent des mois sans emploi. Une plateforme qui relie les écoles, Actiris et les PME du nord-ouest de "
            "Bruxelles, avec des parrains et marraines, ferait vraiment la différence."
        ),
        "topic": "work",
        "district": "koekelberg",
        "language": "fr",
    },
    {
        "title": "Aucun abri pour les livreurs à vélo qui attendent leurs commandes",
        "description": (
            "Les livreurs à vélo attendent leurs commandes sur les trottoirs, par tous les temps, sans toilettes ni "
            "point d'eau, notamment autour de la place Saint-Géry et du Châtelain. Ils enchaînent de longues heures "
            "pour des revenus très bas. Un ou deux abris chauffés avec sanitaires et prises pour recharger vélos et "
            "téléphones, cofinancés par les plateformes, seraient un minimum."
        ),
        "topic": "work",
        "district": None,
        "language": "fr",
    },
    {
        "title": "Conseils communaux impossibles à suivre pour les habitants de Ganshoren",
        "description": (
            "À Ganshoren, les conseils communaux ont lieu en semaine en fin d'après-midi et ne sont ni filmés ni "
            "diffusés en ligne. Les ordres du jour sont publiés tard et les documents sont difficiles à trouver sur le "
            "site de la commune. Une retransmission en direct, des archives vidéo et la publication des points au "
            "moins une semaine à l'avance rendraient la démocratie locale plus accessible."
        ),
        "topic": "politics",
        "district": "ganshoren",
        "language": "fr",
    },
    {
        "title": "Aucun retour sur les pétitions citoyennes déposées à la Région",
        "description": (
            "Quand on dépose une pétition au Parlement bruxellois, on ne sait souvent pas ce qu'elle devient après "
            "l'audition. Les signataires ne reçoivent aucune information sur les suites données, même des mois plus "
            "tard. Un suivi public, avec un calendrier et une réponse motivée du gouvernement, donnerait envie de "
            "continuer à s'engager."
        ),
        "topic": "politics",
        "district": None,
        "language": "fr",
    },
    {
        "title": "Listes d'attente interminables pour une place en crèche à Etterbeek",
        "description": (
            "Certains parents s'inscrivent dès le troisième mois de grossesse et n'ont toujours pas de place quand le "
            "congé de maternité se termine. Ce sont surtout les mères qui réduisent leur temps de travail ou "
            "s'arrêtent pour garder l'enfant. Ouvrir de nouvelles crèches communales et mieux soutenir les "
            "accueillantes à domicile autour de la place Jourdan est urgent."
        ),
        "topic": "education",
        "district": "etterbeek",
        "language": "fr",
    },
    {
        "title": "Des devoirs impossibles à faire sans ordinateur à la maison",
        "description": (
            "Depuis la généralisation des plateformes en ligne, les élèves d'Evere doivent rendre leurs devoirs sur "
            "internet, mais beaucoup de familles n'ont qu'un smartphone pour toute la maison. Les écoles de devoirs "
            "sont saturées et la bibliothèque ne compte que quelques postes. Un prêt d'ordinateurs reconditionnés et "
            "des salles d'étude équipées, ouvertes après 16 h, aideraient les élèves concernés."
        ),
        "topic": "education",
        "district": "evere",
        "language": "fr",
    },
    {
        "title": "Impossible de trouver un médecin généraliste qui accepte de nouveaux patients",
        "description": (
            "Depuis le départ à la retraite de deux médecins près de la place de la Vaillance, de nombreux habitants "
            "d'Anderlecht n'ont plus de généraliste. Les cabinets et maisons médicales du quartier refusent les "
            "nouveaux patients, et les gens finissent aux urgences pour des problèmes simples. Des incitants pour "
            "attirer de jeunes médecins et une nouvelle maison médicale au forfait seraient les bienvenus."
        ),
        "topic": "healthcare",
        "district": "anderlecht",
        "language": "fr",
    },
    {
        "title": "Santé mentale : des mois d'attente pour un psychologue conventionné",
        "description": (
            "À Uccle, les jeunes et les adultes qui cherchent un psychologue de première ligne doivent attendre trois "
            "à six mois pour un rendez-vous à tarif remboursé. Pendant ce temps, les situations s'aggravent, surtout "
            "chez les étudiants et les personnes isolées. Renforcer le réseau de psychologues conventionnés et ouvrir "
            "des permanences sans rendez-vous dans les maisons de quartier permettrait d'agir plus tôt."
        ),
        "topic": "healthcare",
        "district": "uccle",
        "language": "fr",
    },
    {
        "title": "Aucune salle de répétition abordable pour les groupes de musique à Jette",
        "description": (
            "Les jeunes musiciens de Jette doivent louer des locaux à plus de 20 euros de l'heure à l'autre bout de "
            "Bruxelles ou répéter dans des caves mal insonorisées, ce qui crée des conflits avec les voisins. Pendant "
            "ce temps, des locaux publics restent vides le soir et le week-end. Aménager deux ou trois salles "
            "insonorisées à prix social, par exemple près de la place Cardinal Mercier, soutiendrait la scène locale."
        ),
        "topic": "culture",
        "district": "jette",
        "language": "fr",
    },
    {
        "title": "La bibliothèque de Berchem-Sainte-Agathe fermée le samedi après-midi",
        "description": (
            "La bibliothèque est fermée le samedi après-midi et ouvre très peu en soirée, alors que c'est justement le "
            "moment où les familles qui travaillent pourraient y aller. Les enfants ne peuvent emprunter des livres "
            "que pendant les heures d'école ou presque. Des horaires élargis, quitte à fermer un matin en semaine, et "
            "des animations lecture le week-end rendraient ce service public vraiment accessible."
        ),
        "topic": "culture",
        "district": "berchem-sainte-agathe",
        "language": "fr",
    },
    {
        "title": "Gevaarlijk kruispunt voor fietsers aan het Saincteletteplein",
        "description": (
            "Wie 's ochtends over het Saincteletteplein richting Noordstation fietst, moet laveren tussen afslaande "
            "vrachtwagens en bussen. Het voorbije jaar zijn er meerdere fietsers aangereden, onder wie scholieren. Een "
            "volledig afgescheiden fietspad, een aparte groenfase voor fietsers en betere verlichting zouden het "
            "kruispunt veel veiliger maken."
        ),
        "topic": "urbanism",
        "district": "bruxelles",
        "language": "nl",
    },
    {
        "title": "Nachtelijke leveringen houden bewoners van de Georges Henrilaan wakker",
        "description": (
            "Sinds enkele maanden komen vrachtwagens tussen 4 en 6 uur 's ochtends leveren bij de winkels op de "
            "Georges Henrilaan, met draaiende motoren, piepende laadbruggen en rolcontainers over de stoep. Vooral "
            "gezinnen met jonge kinderen en mensen die in ploegen werken, slapen slecht. Stille leveringstechnieken "
            "verplichten en leveringen pas vanaf 7 uur toelaten zou een eenvoudige oplossing zijn."
        ),
        "topic": "urbanism",
        "district": "woluwe-saint-lambert",
        "language": "nl",
    },
    {
        "title": "Te weinig gratis drinkwaterpunten in parken en op pleinen",
        "description": (
            "In de meeste Brusselse parken en op de grote pleinen is er geen enkel drinkwaterpunt, waardoor mensen in "
            "de zomer plastic flesjes kopen die daarna in de vuilnisbak of in het gras belanden. Voor daklozen en "
            "sporters is gratis drinkwater bovendien een basisbehoefte. Meer fonteinen, bijvoorbeeld in het "
            "Warandepark, het Jubelpark en langs het kanaal, zouden veel afval vermijden."
        ),
        "topic": "consumption",
        "district": None,
        "language": "nl",
    },
    {
        "title": "Geen plaats voor gft-afval in kleine appartementen in Schaarbeek",
        "description": (
            "In Schaarbeek wonen veel mensen in appartementen zonder tuin, en de oranje zakken voor etensresten passen "
            "nauwelijks in een kleine keuken terwijl ze maar één keer per week opgehaald worden. Veel bewoners gooien "
            "hun groenteafval daarom gewoon bij het restafval. Buurtcomposteerders of inzamelcontainers per straat "
            "zouden het sorteren veel makkelijker maken."
        ),
        "topic": "consumption",
        "district": "schaerbeek",
        "language": "nl",
    },
    {
        "title": "Stadslandbouw in Neerpede heeft nood aan een gedeelde verwerkingsplaats",
        "description": (
            "De kleine boeren en moestuinprojecten in Neerpede telen groenten op een paar kilometer van het "
            "stadscentrum, maar ze hebben geen plek om hun oogst te wassen, te koelen en te verpakken. Daardoor gaat "
            "een deel van de oogst verloren of moeten ze ver rijden. Een gedeelde koelcel en verwerkingsruimte in de "
            "buurt zou de korte keten in Brussel echt versterken."
        ),
        "topic": "production",
        "district": "anderlecht",
        "language": "nl",
    },
    {
        "title": "Een openbare maakplaats (fablab) voor Laken",
        "description": (
            "Wie in Laken een prototype wil bouwen, een meubel wil herstellen of wil leren lassen, moet naar een "
            "fablab aan de andere kant van de stad. Jongeren met interesse in technische beroepen komen zo nooit met "
            "zulke machines in aanraking. Een kleine maakplaats met **3D-printers, een lasersnijder en begeleiding**, "
            "bijvoorbeeld in een leegstaand pand rond het Bockstaelplein, zou veel mogelijk maken."
        ),
        "topic": "production",
        "district": "bruxelles",
        "language": "nl",
    },
    {
        "title": "Steeds meer loketten en winkels weigeren contant geld",
        "description": (
            "Steeds meer gemeentelijke loketten, parkings en winkels aanvaarden alleen nog kaartbetalingen. Ouderen, "
            "mensen zonder bankrekening en kinderen met zakgeld worden zo uitgesloten. Wij vragen dat openbare "
            "diensten altijd contant geld blijven aanvaarden en dat er opnieuw geldautomaten komen in de wijken waar "
            "ze verdwenen zijn."
        ),
        "topic": "economics",
        "district": None,
        "language": "nl",
    },
    {
        "title": "Geen buurtwinkel meer in de tuinwijken Floréal en Le Logis",
        "description": (
            "Sinds de laatste kruidenier de deuren sloot, moeten bewoners van de tuinwijken Floréal en Le Logis voor "
            "elke boodschap naar een supermarkt aan de andere kant van Watermaal-Bosvoorde. Voor ouderen zonder auto "
            "is dat een hele onderneming. Een coöperatieve buurtwinkel of een wekelijkse markt in de wijk zou het "
            "dagelijkse leven een stuk eenvoudiger maken."
        ),
        "topic": "economics",
        "district": "watermael-boitsfort",
        "language": "nl",
    },
    {
        "title": "Cursussen Nederlands voor werkzoekenden altijd volzet",
        "description": (
            "Werkzoekenden die Nederlands willen leren om hun kansen op de Brusselse arbeidsmarkt te vergroten, "
            "krijgen vaak te horen dat alle cursussen volzet zijn. Sommigen wachten meer dan een half jaar op een "
            "plaats. Meer avond- en weekendcursussen en taalcoaching op de werkvloer zouden hen sneller aan een job "
            "helpen."
        ),
        "topic": "work",
        "district": None,
        "language": "nl",
    },
    {
        "title": "Jongeren in Vorst vinden de weg naar werk niet",
        "description": (
            "Veel jongeren in Vorst zoeken al maanden werk, maar hebben geen netwerk en weten niet waar ze "
            "terechtkunnen voor hulp bij een cv of een sollicitatiegesprek. De bestaande diensten voelen voor hen ver "
            "en administratief. Een jobcafé in het jeugdhuis, waar coaches en werkgevers uit de buurt om de twee weken "
            "langskomen, zou de drempel flink verlagen."
        ),
        "topic": "work",
        "district": "forest",
        "language": "nl",
    },
    {
        "title": "Vroege diensten onhaalbaar met het openbaar vervoer vanuit Sint-Agatha-Berchem",
        "description": (
            "Wie om 6 uur moet beginnen in een ziekenhuis of in de schoonmaak, raakt vanuit Sint-Agatha-Berchem "
            "nauwelijks op tijd met het openbaar vervoer, omdat de eerste bussen pas laat vertrekken. Veel werknemers "
            "met lage lonen moeten daardoor een auto kopen of een job weigeren. Vroegere ritten op de drukste "
            "buslijnen zouden een groot verschil maken."
        ),
        "topic": "work",
        "district": "berchem-sainte-agathe",
        "language": "nl",
    },
    {
        "title": "Weken wachten op een eerste gesprek bij het OCMW",
        "description": (
            "Mensen die een leefloon of dringende hulp aanvragen, moeten in Molenbeek soms drie tot vier weken wachten "
            "op een eerste afspraak met een maatschappelijk werker. Ondertussen lopen huurachterstallen en facturen "
            "op. Wat zou helpen:\n"
            "- meer personeel aan het onthaal;\n"
            "- een telefonische permanentie in het Nederlands en het Frans;\n"
            "- een eenvoudig online afsprakensysteem."
        ),
        "topic": "politics",
        "district": "molenbeek-saint-jean",
        "language": "nl",
    },
    {
        "title": "Gemeentelijke informatie zelden in het Nederlands beschikbaar",
        "description": (
            "Op de website van de gemeente en op affiches in de straat is veel informatie alleen in het Frans te "
            "vinden, hoewel Brusselse gemeenten tweetalig moeten communiceren. Nederlandstalige bewoners en "
            "nieuwkomers die Nederlands leren, missen zo belangrijke informatie over wegenwerken, premies en "
            "inschrijvingen. Een systematische vertaling en een vast aanspreekpunt voor Nederlandstaligen zijn nodig."
        ),
        "topic": "politics",
        "district": "auderghem",
        "language": "nl",
    },
    {
        "title": "Geen Nederlandstalige naschoolse opvang in Koekelberg",
        "description": (
            "Kinderen uit de Nederlandstalige basisscholen in Koekelberg kunnen na 15.30 uur nergens terecht in het "
            "Nederlands: de enige opvang is Franstalig en zit bovendien vol. Voor gezinnen waar thuis geen Nederlands "
            "gesproken wordt, is dat een gemiste kans om de taal te oefenen. Een Nederlandstalige opvang met "
            "huiswerkbegeleiding, samen met de VGC, zou veel ouders helpen."
        ),
        "topic": "education",
        "district": "koekelberg",
        "language": "nl",
    },
    {
        "title": "Ouders in Etterbeek vinden geen Nederlandstalige basisschool in de buurt",
        "description": (
            "Elk jaar blijven in Etterbeek tientallen kinderen zonder plaats in een Nederlandstalige basisschool dicht "
            "bij huis, waardoor ouders dagelijks door de halve stad moeten rijden. Broers en zussen belanden soms in "
            "verschillende scholen. Extra capaciteit, bijvoorbeeld met een nieuwe vestiging in de buurt van het "
            "Jubelpark, en een duidelijker aanmeldingssysteem zijn dringend nodig."
        ),
        "topic": "education",
        "district": "etterbeek",
        "language": "nl",
    },
    {
        "title": "Ouders in Kuregem kunnen de schoolcommunicatie niet volgen",
        "description": (
            "Scholen communiceren bijna alleen nog via apps en e-mail, maar veel ouders in Kuregem lezen moeilijk of "
            "spreken geen Nederlands of Frans. Ze missen daardoor oudercontacten, uitstappen en belangrijke berichten "
            "over hun kinderen. Brugfiguren in de scholen, berichten in eenvoudige taal en een wekelijks vragenmoment "
            "voor ouders zouden het verschil maken."
        ),
        "topic": "education",
        "district": "anderlecht",
        "language": "nl",
    },
    {
        "title": "Bijna geen Nederlandstalige huisarts meer te vinden in Jette",
        "description": (
            "Wie in Jette een Nederlandstalige huisarts zoekt, vindt bijna niemand die nog nieuwe patiënten aanneemt. "
            "Vooral ouderen willen hun gezondheidsproblemen in hun eigen taal kunnen uitleggen. Ondersteuning voor "
            "jonge huisartsen die zich in Brussel willen vestigen, bijvoorbeeld via een groepspraktijk in de buurt van "
            "het UZ Brussel, zou erg welkom zijn."
        ),
        "topic": "healthcare",
        "district": "jette",
        "language": "nl",
    },
    {
        "title": "Geen koele plekken voor ouderen tijdens hittegolven in Evere",
        "description": (
            "Tijdens de hittegolven van de afgelopen zomers zaten veel alleenwonende ouderen in Evere dagenlang in "
            "oververhitte appartementen. Er is geen gekoelde publieke ruimte waar ze overdag terechtkunnen. "
            "Koelplekken in bibliotheken of dienstencentra en een belronde door vrijwilligers bij extreme hitte kunnen "
            "levens redden."
        ),
        "topic": "healthcare",
        "district": "evere",
        "language": "nl",
    },
    {
        "title": "Legale muren voor graffiti en street art in Sint-Gillis",
        "description": (
            "Jonge kunstenaars in Sint-Gillis krijgen boetes voor graffiti, terwijl er nauwelijks plekken zijn waar ze "
            "legaal mogen schilderen. Tegelijk zijn er veel kale blinde gevels en grauwe tunnels. Een paar vrije muren "
            "en een jaarlijks muurschilderingenproject met de buurt zouden kunst zichtbaar maken en wildplakken en "
            "vandalisme verminderen."
        ),
        "topic": "culture",
        "district": "saint-gilles",
        "language": "nl",
    },
    {
        "title": "Geen betaalbare zaal voor verenigingen en buurtfeesten",
        "description": (
            "Verenigingen, koren en buurtcomités in Sint-Pieters-Woluwe vinden geen betaalbare zaal voor hun "
            "repetities, voorstellingen of feesten. De beschikbare zalen kosten al snel enkele honderden euro per "
            "avond. Een gemeentelijk reservatiesysteem voor schoolrefters, turnzalen en wijkhuizen, met een sociaal "
            "tarief, zou het verenigingsleven ademruimte geven."
        ),
        "topic": "culture",
        "district": "woluwe-saint-pierre",
        "language": "nl",
    },
    {
        "title": "Nowhere safe to park a bike near Gare du Midi",
        "description": (
            "Commuters who cycle to Brussels-South station have to lock their bikes to railings and lamp posts around "
            "Place Victor Horta and Avenue Fonsny, and many find them stripped or stolen in the evening. The few racks "
            "that exist are full by 8 a.m. A large, **guarded bike parking** inside or next to the station, with room "
            "for cargo bikes, would make combining bike and train realistic."
        ),
        "topic": "urbanism",
        "district": "saint-gilles",
        "language": "en",
    },
    {
        "title": "Bike racks at Brussels-Midi station are always full",
        "description": (
            "I take the train to Ghent every day and cycle to Midi, but there is simply no free spot in the racks "
            "after about 7:30. Last month my bike was stolen from a lamp post on Rue de France. Could the Region add "
            "secure, covered bike storage at the station, even a paid one with a monthly subscription?"
        ),
        "topic": "urbanism",
        "district": "saint-gilles",
        "language": "en",
    },
    {
        "title": "Nowhere to swap children's clothes and toys in Uccle",
        "description": (
            "Parents in Uccle spend a lot on children's clothes and toys that are outgrown within months, and there is "
            "nowhere nearby to swap or donate them easily. The closest second-hand shops are in other communes and "
            "often only take adult clothing. A monthly swap market at the community centre or a permanent give box run "
            "by volunteers would save families money and reduce waste."
        ),
        "topic": "consumption",
        "district": "uccle",
        "language": "en",
    },
    {
        "title": "Shops throw away edible food every evening while food banks run short",
        "description": (
            "Across the city, bakeries and grocery shops throw away unsold bread and fresh products every evening, "
            "while food banks report longer queues than ever. Many shopkeepers would gladly donate but have no time to "
            "organise pick-ups. A network of volunteer cyclists collecting surplus food at closing time could link "
            "shops with social groceries and community fridges."
        ),
        "topic": "consumption",
        "district": None,
        "language": "en",
    },
    {
        "title": "Rooftop vegetable gardens blocked by complicated permits",
        "description": (
            "Residents and small businesses in the city centre who want to grow vegetables or keep bees on flat roofs "
            "face months of paperwork for planning permits and structural studies. Many projects are abandoned before "
            "they even start. A simplified procedure and a free technical advice service for rooftop farming would "
            "help local food production grow."
        ),
        "topic": "production",
        "district": "bruxelles",
        "language": "en",
    },
    {
        "title": "No local depot to reuse building materials in Evere",
        "description": (
            "Renovation projects in Evere fill skips with doors, tiles, bricks and timber that could easily be reused, "
            "but there is no local depot where builders and residents can drop off or pick up materials. Almost "
            "everything ends up in incineration or landfill. A reuse depot run with social-economy partners would cut "
            "costs for DIY renovators and create local jobs."
        ),
        "topic": "production",
        "district": "evere",
        "language": "en",
    },
    {
        "title": "Matonge shops and restaurants pushed out by rising rents",
        "description": (
            "Several long-standing African shops and restaurants in Matonge, around Chaussée de Wavre and Rue Longue "
            "Vie, have closed in recent years because of rising commercial rents. The neighbourhood risks losing the "
            "very character that attracts visitors. Rent support for small independent shops and a commercial strategy "
            "designed together with local traders would help keep Matonge alive."
        ),
        "topic": "economics",
        "district": "ixelles",
        "language": "en",
    },
    {
        "title": "Young people can't afford the rental deposit for a first flat",
        "description": (
            "Renting in Brussels usually means a deposit of two months' rent blocked on a bank account, on top of the "
            "first month's rent. For students, young workers and people leaving youth care, that is often 2,500 euros "
            "they simply do not have. A public guarantee fund that advances the deposit, repaid in small monthly "
            "instalments, would open the door to decent housing."
        ),
        "topic": "economics",
        "district": None,
        "language": "en",
    },
    {
        "title": "Jobseekers over 50 in Schaerbeek left without real support",
        "description": (
            "People over 50 who lose their job in Schaerbeek often feel that employers don't even read their CV. The "
            "standard job-search workshops are designed for young people and ignore their experience or health issues. "
            "Training for jobs in demand, like building maintenance or home care, combined with subsidised trial "
            "contracts, would help them get back to work."
        ),
        "topic": "work",
        "district": "schaerbeek",
        "language": "en",
    },
    {
        "title": "Newcomers with foreign diplomas stuck in low-skilled jobs",
        "description": (
            "Nurses, engineers and teachers who arrive in Brussels from outside the EU often wait more than a year to "
            "get their diplomas recognised, and meanwhile work as cleaners or delivery riders. The procedure is "
            "complex and the information is scattered across different authorities. What would help:\n"
            "- a single help desk, in several languages;\n"
            "- fast-track bridging courses for shortage professions."
        ),
        "topic": "work",
        "district": None,
        "language": "en",
    },
    {
        "title": "Participatory budget projects: no follow-up after the vote",
        "description": (
            "Several communes now run participatory budgets, but residents who voted rarely find out which projects "
            "are being carried out, when, or why some were dropped. Without feedback, people lose trust and won't take "
            "part next time. A simple public dashboard showing the status and budget of each project would fix this."
        ),
        "topic": "politics",
        "district": None,
        "language": "en",
    },
    {
        "title": "Foreign residents in Etterbeek don't know they can vote in local elections",
        "description": (
            "Around the European quarter in Etterbeek, many EU and non-EU residents have lived here for years without "
            "realising they can register to vote in municipal elections. Registration rates among foreign residents "
            "stay very low, so a large share of the population has no say in local decisions. An information campaign "
            "in several languages and simple online registration would change that."
        ),
        "topic": "politics",
        "district": "etterbeek",
        "language": "en",
    },
    {
        "title": "Homework clubs in Ganshoren are full by the end of September",
        "description": (
            "The homework schools in Ganshoren fill up within days of the start of the school year, leaving dozens of "
            "children on waiting lists. Many parents can't help with homework in French or Dutch themselves. Funding "
            "for more places and recruiting student volunteers from the nearby university campuses could double the "
            "capacity."
        ),
        "topic": "education",
        "district": "ganshoren",
        "language": "en",
    },
    {
        "title": "Schoolyards stay locked after 4 pm while kids play between parked cars",
        "description": (
            "In the densest parts of Molenbeek, children have very few green spaces and end up playing football "
            "between parked cars. Meanwhile, school playgrounds sit empty and locked every evening, weekend and "
            "holiday. Opening selected schoolyards to the neighbourhood outside school hours, with a caretaker, would "
            "give kids a safe place to play."
        ),
        "topic": "education",
        "district": "molenbeek-saint-jean",
        "language": "en",
    },
    {
        "title": "Elderly residents of Laeken can't book doctor's appointments online",
        "description": (
            "In Laeken and Neder-Over-Heembeek, more and more medical practices only take appointments through online "
            "booking platforms. Many older residents don't use a smartphone or find these systems confusing, and the "
            "phone lines are always busy. Practices should keep a reachable phone line, and digital help desks in "
            "libraries or service centres could assist seniors."
        ),
        "topic": "healthcare",
        "district": "bruxelles",
        "language": "en",
    },
    {
        "title": "Families in Saint-Josse postpone dental care because of the cost",
        "description": (
            "Many families in Saint-Josse put off going to the dentist because few dentists in the area apply the "
            "official fees and the extra charges are high. Children end up with painful cavities that could easily "
            "have been prevented. A social dental practice or regular check-ups in schools, as some communes already "
            "organise, would make a real difference."
        ),
        "topic": "healthcare",
        "district": "saint-josse-ten-noode",
        "language": "en",
    },
    {
        "title": "Children with asthma along the busy roads around the Basilica",
        "description": (
            "Families living along Boulevard Léopold II and around the Basilica breathe heavy traffic fumes all day, "
            "and several parents at our school mention children with asthma. There is no air-quality sensor nearby, so "
            "nobody knows the real pollution levels. Installing sensors, planting green buffers and reducing through "
            "traffic near schools would protect children's health."
        ),
        "topic": "healthcare",
        "district": "koekelberg",
        "language": "en",
    },
    {
        "title": "No affordable stage for young artists in Cureghem",
        "description": (
            "Cureghem is full of young rappers, dancers and filmmakers, but there is hardly any place where they can "
            "perform or show their work for free. Existing venues are booked months ahead and charge fees most of them "
            "can't pay. A small open stage in a former warehouse near the Abattoirs, run with youth organisations, "
            "would give local talent a chance."
        ),
        "topic": "culture",
        "district": "anderlecht",
        "language": "en",
    },
    {
        "title": "Free open-air cinema nights on Place Keym in summer",
        "description": (
            "Summer evenings in Watermael-Boitsfort are quiet, and families on a tight budget have few cultural "
            "outings close to home. Free open-air screenings on Place Keym or in a local park, with films in French, "
            "Dutch and English and subtitles for all, would bring neighbours together at very low cost."
        ),
        "topic": "culture",
        "district": "watermael-boitsfort",
        "language": "en",
    },
    {
        "title": "Local libraries in Woluwe-Saint-Lambert need a multilingual children's section",
        "description": (
            "Woluwe-Saint-Lambert is home to many international families, yet the local libraries have very few "
            "children's books in English or other languages. Parents who speak Polish, Spanish or Arabic at home would "
            "like to read with their kids in their mother tongue as well. A small multilingual section, built with "
            "donations and exchanges with other libraries, would make these families feel welcome."
        ),
        "topic": "culture",
        "district": "woluwe-saint-lambert",
        "language": "en",
    },
]

COMMENTS = {
    "fr": [
        "Tout à fait d'accord, c'est exactement la même chose dans ma rue.",
        "Merci d'avoir lancé ce sujet, ça fait des années qu'on en parle entre voisins.",
        "Je soutiens à 100 %. On pourrait commencer par un projet pilote dans un quartier.",
        "Bonne idée ! Il faudrait aussi associer les commerçants dès le départ.",
        "J'ai écrit à la commune il y a six mois, toujours pas de réponse.",
        "Dans d'autres villes, ça fonctionne très bien, il n'y a pas de raison que ce soit impossible ici.",
        "Je suis prêt à donner un coup de main bénévolement si un projet se met en place.",
        "Petite précision : le problème est encore pire le week-end.",
        "Je suis d'accord sur le constat, mais je ne suis pas sûr que ce soit la priorité numéro un du quartier.",
        "On pourrait demander un subside régional pour financer ça, ce n'est pas si cher.",
        "Ma fille est concernée aussi, merci de porter ce sujet.",
        "Une réunion d'information avec les habitants serait un bon point de départ.",
        "Je comprends l'idée, mais il faudrait vérifier que ça ne déplace pas simplement le problème ailleurs.",
        "Voté ! J'ai partagé dans le groupe du quartier.",
        "Il existe déjà une asbl qui travaille là-dessus, ce serait bien de la contacter.",
    ],
    "nl": [
        "Helemaal mee eens, in mijn straat is het precies hetzelfde.",
        "Goed dat iemand dit eindelijk aankaart, we praten er al jaren over met de buren.",
        "Ik steun dit volledig. Misschien kan het eerst als proefproject in één wijk?",
        "Sterk idee! Betrek ook de handelaars en de scholen van in het begin.",
        "Ik heb de gemeente hier een half jaar geleden over gemaild, nog steeds geen antwoord.",
        "In Gent en Antwerpen werkt dit al goed, dus waarom niet in Brussel?",
        "Als er een project komt, wil ik graag als vrijwilliger meehelpen.",
        "Kleine aanvulling: in het weekend is het nog veel erger.",
        "Ik begrijp het probleem, maar ik twijfel of dit de grootste prioriteit van de wijk is.",
        "Misschien kan hier een subsidie van het Gewest of de VGC voor aangevraagd worden.",
        "Mijn ouders hebben hier ook last van, bedankt om dit op te nemen.",
        "Een infoavond met de bewoners lijkt me een goede eerste stap.",
        "Goed voorstel, maar let op dat het probleem niet gewoon naar de volgende straat verschuift.",
        "Gestemd! Ik heb het ook in onze buurtgroep gedeeld.",
        "Er bestaat al een vzw die hierrond werkt, misschien kunnen jullie samenwerken.",
    ],
    "en": [
        "Completely agree, it's exactly the same in my street.",
        "Thanks for raising this, our neighbours have been talking about it for years.",
        "Fully support this. Maybe start with a pilot in one neighbourhood and scale up?",
        "Great idea! Local shops and schools should be involved from the start.",
        "I emailed the commune about this six months ago and never got a reply.",
        "This works well in other European cities, so there is no reason it can't work here.",
        "Happy to volunteer if a project gets off the ground.",
        "Small addition: it's even worse at weekends.",
        "I agree there is a problem, but I'm not sure it should be the neighbourhood's top priority.",
        "There might be regional funding available for this, it's worth applying.",
        "My kids are affected too, thanks for putting this on the wall.",
        "An information evening with residents would be a good first step.",
        "Good proposal, but we should make sure it doesn't just push the problem into the next street.",
        "Voted! I've shared it in our neighbourhood group.",
        "There is already a non-profit working on this, it would be good to get in touch with them.",
    ],
}

OFFICIAL_ANSWERS = {
    "fr": (
        "Merci à toutes et à tous pour votre participation ! Cette préoccupation fait partie des sujets les plus "
        "soutenus sur Open Wall et sera intégrée au prochain appel à projets. Nous vous tiendrons informés de la suite "
        "et comptons sur vous pour continuer à proposer des solutions."
    ),
    "nl": (
        "Bedankt aan iedereen die heeft meegedaan! Dit probleem hoort bij de meest gesteunde onderwerpen op Open Wall "
        "en wordt opgenomen in de volgende projectoproep. We houden jullie op de hoogte en rekenen op jullie om mee "
        "oplossingen te bedenken."
    ),
    "en": (
        "Thank you all for taking part! This issue is among the most supported on Open Wall and will be included in "
        "our next call for projects. We will keep you posted and count on you to help shape the solutions."
    ),
}
