package synth

import (
	"math/rand/v2"
	"strings"
)

// An origin is a naming tradition of the borough's residents. The lists are
// our own compilation of names common in inner London; each is in rough
// order of frequency and sampled with a Zipf weight, so a few names (Smith,
// Khan, Begum, Mohammed) are very common and most are rare, as term-frequency
// adjustment in the matcher expects.
type origin struct {
	name       string
	weight     float64 // share of households
	family     []string
	familyW    weighted
	male       [3][]string // by era of birth: before 1965, 1965-1994, from 1995
	female     [3][]string
	maleW      [3]weighted
	femaleW    [3]weighted
	prefixes   []string // parts for rare compound family names
	suffixes   []string
	compoundP  float64 // share of family names drawn as compounds (the long tail)
	middleP    float64 // share with a middle name
	takeNameP  float64 // share of married women using their husband's family name
	womenOwn   []string
	womenOwnP  float64 // share of women with a women's family name (Begum, Kaur)
	gendered   bool    // Polish -ski/-ska style family names
	doubleBarP float64 // share born with a double-barrelled family name
}

// fields splits a space-separated list: the data below reads as plain lists.
func fields(s string) []string { return strings.Fields(s) }

// eras lets a tradition give one list to every era.
func eras(s string) [3][]string {
	f := fields(s)
	return [3][]string{f, f, f}
}

var origins = []*origin{
	{name: "british", weight: 0.38, middleP: 0.6, takeNameP: 0.8, compoundP: 0.25, doubleBarP: 0.02,
		family: fields(`Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson
			Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood
			Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott
			Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson
			Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson Simpson Ellis Adams
			Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali Hunt Hussain Campbell
			Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins
			Murray Dixon Harvey Graham Pearson Ahmed Fletcher Walsh Kaur Gibson Howard Andrews Stewart Elliott
			Reynolds Saunders Payne Fox Ford Pearce Day Brooks West Lawrence Cole Atkinson Bradley Spencer
			Gill Dawson Ball Burton O'Brien Watts Rose Booth Perry Ryan Grant Wells Armstrong Francis Rees
			Hayes Hart Hudson Newman Barrett Webster Hunter Gregory Carr Lowe Page Marsh Riley Dunn Woods
			Parsons Berry Stone Reid Holland Hawkins Harding Porter Robertson Newton Oliver Reed Kennedy
			Williamson Bird Gardner Shah Dean Lane Cooke Bates Henderson Parry Burgess Bishop Walton Burns
			Nicholson Shepherd Ross Cross Long Freeman Warren Nicholls Hamilton Byrne Sutton McDonald Yates
			Hodgson Robson Curtis Hopkins O'Connor Harper Coleman Watkins Moss McCarthy Chambers Brennan`),
		male: [3][]string{
			fields(`John David Michael Peter Robert Anthony Brian Alan William James Kenneth Terence Raymond
				Richard Christopher Keith Colin Roger Dennis Frank Geoffrey Derek Barry Leslie Ronald Gordon
				Stanley Edward Malcolm Graham Trevor Bernard Frederick Philip Gerald Charles Harold Arthur`),
			fields(`Paul Mark David Andrew James Richard Stephen Michael Christopher Daniel Matthew Simon
				Jonathan Thomas Robert Lee Darren Craig Gareth Neil Jason Ian Martin Nicholas Anthony Benjamin
				Adam Alexander Timothy Gary Wayne Dean Carl Shaun Jamie Ryan Samuel Luke Kevin Philip Edward`),
			fields(`Oliver Jack Harry George Thomas James William Joshua Charlie Jacob Alfie Noah Samuel
				Daniel Joseph Oscar Leo Freddie Archie Henry Max Ethan Lucas Theo Alexander Benjamin Isaac
				Edward Arthur Toby Finley Louis Reuben Sebastian Callum Connor Lewis Ryan Liam Nathan`),
		},
		female: [3][]string{
			fields(`Margaret Patricia Susan Elizabeth Mary Jean Barbara Linda Christine Carol Janet Sandra
				Pauline Dorothy Joan Sheila Brenda Eileen Maureen Valerie Kathleen Gillian Ann Jennifer
				Irene Doreen Joyce Elaine Wendy Jacqueline Anne Marion Judith Catherine Frances Rosemary`),
			fields(`Sarah Claire Emma Nicola Lisa Louise Karen Joanne Rebecca Helen Katherine Elizabeth
				Victoria Rachel Laura Amanda Michelle Samantha Kelly Donna Tracey Deborah Jennifer Julie
				Charlotte Catherine Natalie Hannah Jessica Lucy Kerry Stephanie Alison Caroline Zoe Gemma`),
			fields(`Olivia Amelia Isla Emily Ava Sophie Grace Mia Poppy Ella Lily Evie Freya Charlotte Chloe
				Jessica Hannah Lucy Megan Holly Isabella Sophia Alice Florence Ruby Phoebe Matilda Eleanor
				Abigail Millie Daisy Scarlett Imogen Rosie Harriet Katie Eloise Georgia Niamh Lauren`),
		},
		prefixes: fields(`Ash Brad Brom Cald Dun Fair Hal Hart Hol Kings Lang Mars Mid Nor Pen Rad Shel Stan
			Thorn Wake Whit Win Wood Ather Bar Black Brook Chad Craw Els Fen Gold Hazel Hither Lock Mor
			Pick Rams Rother Sher Small Stam Sud Tad War Wether`),
		suffixes: fields(`worth ley ford ton field well by ham wood stone dale combe bury shaw hurst cliffe more
			den wick stead thorpe land`),
	},
	{name: "irish", weight: 0.05, middleP: 0.5, takeNameP: 0.8,
		family: fields(`Murphy Kelly O'Sullivan Walsh Smith O'Brien Byrne Ryan O'Connor O'Neill Reilly Doyle
			McCarthy Gallagher Doherty Kennedy Lynch Murray Quinn Moore McLoughlin O'Carroll Connolly Daly
			Connell Wilson Dunne Brennan Burke Collins Campbell Clarke Johnston Hughes Farrell Fitzgerald
			Brown Martin Maguire Nolan Flynn Thompson Callaghan O'Donnell Duffy Mahony Boyle Healy Shea
			White Sweeney Hayes Kavanagh Power McGrath Moran Brady Stewart Casey Foley Fitzpatrick Leary
			McDonnell MacMahon Donnelly Regan Donovan Burns Flanagan Mullan Barry Kane Robinson Cunningham`),
		male: eras(`Patrick John Sean Michael Declan Ciaran Brendan Eoin Padraig Conor Kevin Liam Niall Colm
			Dermot Fergal Cormac Ronan Cathal Aidan Oisin Darragh Cillian Tadhg Donal Eamon Kieran Shane`),
		female: eras(`Mary Siobhan Niamh Aoife Roisin Sinead Orla Maeve Bridget Kathleen Ciara Aisling Grainne
			Deirdre Eimear Caoimhe Clodagh Saoirse Fionnuala Una Nuala Sorcha Emer Mairead Teresa Bernadette`),
	},
	{name: "bangladeshi", weight: 0.08, middleP: 0.45, takeNameP: 0.3, womenOwnP: 0.45,
		womenOwn: fields(`Begum Begum Begum Khatun Bibi Nessa`),
		family: fields(`Ahmed Ali Uddin Miah Rahman Islam Hussain Hossain Khan Chowdhury Haque Karim Alam
			Begum Sheikh Ullah Miah Hoque Choudhury Rashid Hassan Kabir Amin Siddique Talukdar Mahmud Bhuiyan
			Sarkar Mollah Shikder Akhtar Anwar Malik Jalal Aziz Zaman Majid Mannan`),
		male: eras(`Mohammed Abdul Mohammad Shahid Jamal Rahim Kamal Saiful Shah Arif Rashid Faruk Abu
			Nazrul Anwar Imran Rubel Tanvir Aminul Shamim Jahangir Mizanur Abdur Moinul Habibur Shafiqul
			Ashraf Rezaul Sohel Ibrahim Yusuf Ismail Rayhan Zakir Nabil Ayaan Zayan`),
		female: eras(`Fatima Nasima Rehana Shirin Salma Jahanara Rukhsana Taslima Ruma Amina Hasina Sultana
			Nazia Shahnaz Tahmina Laila Farzana Sumaiya Ayesha Shamima Jesmin Halima Rokeya Sabina Nadia
			Tasnim Sadia Maryam Khadija Samira Anika Raisa`),
	},
	{name: "pakistani", weight: 0.035, middleP: 0.45, takeNameP: 0.5, womenOwnP: 0.25,
		womenOwn: fields(`Bibi Begum Akhtar Kausar`),
		family: fields(`Khan Hussain Ahmed Iqbal Malik Ali Butt Akhtar Mahmood Qureshi Raja Mirza Aslam Bashir
			Javed Rashid Shah Rana Naqvi Zaidi Siddiqui Ansari Chaudhry Sheikh Nawaz Saeed Tariq Rehman Hanif
			Riaz Yousaf Anwar Shahzad Ashraf Mehmood Arshad Rafiq Sadiq Zafar Kiani Abbasi Bhatti Awan`),
		male: eras(`Mohammed Muhammad Imran Amir Faisal Usman Bilal Hamza Zain Ali Asif Tariq Kamran Nadeem
			Adnan Shahid Zahid Rizwan Irfan Waqas Naveed Sajid Khalid Abdul Zubair Rehan Ayaan Haris Ibrahim`),
		female: eras(`Aisha Zara Sana Nadia Shabana Saima Amna Fatima Rubina Nasreen Samina Shazia Bushra
			Farah Hina Rabia Mehwish Asma Sadia Uzma Nazia Maryam Zainab Hafsa Inaya Alisha Anaya Eman`),
	},
	{name: "indian", weight: 0.035, middleP: 0.3, takeNameP: 0.85, womenOwnP: 0.2,
		womenOwn: fields(`Kaur`),
		family: fields(`Patel Singh Shah Sharma Kumar Gupta Desai Mehta Joshi Chauhan Gill Sandhu Dhillon Sidhu
			Bains Kapoor Verma Reddy Nair Menon Pillai Iyer Rao Bhatt Thakkar Mistry Parmar Solanki Lad
			Vaghela Modi Pandya Trivedi Jain Agarwal Malhotra Chopra Bhatia Sethi Grewal Sahota Johal`),
		male: eras(`Raj Sanjay Vikram Arjun Harpreet Gurpreet Ravi Anil Sunil Ajay Rakesh Rohit Vijay Deepak
			Manoj Rajesh Suresh Jaswinder Sukhwinder Parminder Aryan Kabir Dev Amit Nikhil Rahul Vivek Kiran`),
		female: eras(`Priya Sunita Anjali Neha Pooja Simran Harjit Mandeep Kiran Rani Meena Geeta Kavita Rekha
			Asha Usha Jaspreet Manpreet Sukhvinder Anika Riya Aarti Nisha Divya Shreya Isha Diya Ananya`),
	},
	{name: "west_african", weight: 0.07, middleP: 0.7, takeNameP: 0.85,
		family: fields(`Adeyemi Okafor Mensah Boateng Owusu Asante Osei Adebayo Okoro Olawale Addo Appiah Nwosu
			Eze Okonkwo Obi Balogun Adeleke Ibrahim Bello Danso Agyeman Ofori Amoah Acheampong Oduya Afolabi
			Adewale Oyelaran Ogunleye Babatunde Oladipo Okeke Nwachukwu Chukwu Uche Anyanwu Ekwueme Akinola
			Oyewole Sowande Bamidele Fashola Adjei Darko Yeboah Sarpong Antwi Quaye Tetteh Koroma Kamara
			Sesay Conteh Bangura Jalloh Diallo Bah Ndiaye Sow Kouassi Traore`),
		male: eras(`Oluwaseun Chinedu Emeka Kwame Kofi Kwabena Tunde Babatunde Femi Olumide Chukwuemeka
			Ibrahim Samuel Daniel Emmanuel David Michael Joseph Ayodele Segun Oluwatobi Adebola Kelechi Obinna
			Ikechukwu Yaw Kwasi Kojo Nana Abdul Mohamed Alhaji Musa Joshua Isaac Victor Godfrey Peter`),
		female: eras(`Adaeze Chiamaka Ngozi Funmilayo Folake Abena Akosua Ama Esther Grace Blessing Precious
			Joy Comfort Oluwatoyin Yetunde Bukola Temitope Chioma Adwoa Efua Afua Nneka Ifeoma Titilayo
			Oluwakemi Modupe Adenike Mariama Fatmata Isatu Aminata Hawa Mercy Patience Deborah Ruth`),
		prefixes:  fields(`Ade Olu Ogun Oye Fola Bola Ola Ayo Akin Ife Oba Kola Tolu Fadi Ajayi`),
		suffixes:  fields(`bayo wale leye laran mide tunde yemi kunle sola sanya gbade dipo jide tola niyi`),
		compoundP: 0.2,
	},
	{name: "somali", weight: 0.04, middleP: 0.6, takeNameP: 0.05,
		family: fields(`Mohamed Ahmed Ali Hassan Hussein Abdi Omar Farah Osman Warsame Yusuf Ibrahim Jama Nur
			Aden Abdullahi Ismail Egal Dirie Mohamud Hersi Elmi Gedi Guled Samatar Duale Awale Abdirahman
			Noor Hirsi Yasin Adan Musse Shire Bile Roble Mahamud Isse Kahin Said`),
		male: eras(`Abdi Abdullahi Mohamed Ahmed Hassan Omar Yusuf Mustafa Liban Abdirahman Abdirizak Guled
			Said Ali Ibrahim Abdikarim Mahad Hamza Bilal Khalid Zakariye Sharmarke Farhan Anwar Ayanle`),
		female: eras(`Hodan Amina Fadumo Hawa Sahra Ifrah Nimco Ayan Hibo Halima Khadija Asha Ubah Deqa Sagal
			Hamdi Muna Naima Safiya Ladan Idil Sumaya Hanan Fartun Maryan Ilhan Nasra`),
	},
	{name: "turkish", weight: 0.03, middleP: 0.15, takeNameP: 0.9,
		family: fields(`Yilmaz Kaya Demir Sahin Celik Yildiz Yildirim Ozturk Aydin Ozdemir Arslan Dogan Kilic
			Aslan Cetin Kara Koc Kurt Ozkan Simsek Polat Erdogan Korkmaz Tekin Aksoy Keskin Gunes Bulut
			Kaplan Acar`),
		male: eras(`Mehmet Mustafa Ahmet Ali Huseyin Hasan Ibrahim Murat Emre Burak Serkan Kemal Osman Yusuf
			Ismail Omer Halil Suleyman Kadir Erkan Volkan Cem Deniz Baris`),
		female: eras(`Ayse Fatma Emine Hatice Zeynep Elif Meryem Sultan Hulya Gul Derya Esra Ozlem Selin
			Sevgi Leyla Melek Dilek Ebru Gamze Nur Yasemin Songul`),
	},
	{name: "polish", weight: 0.04, middleP: 0.2, takeNameP: 0.9, gendered: true,
		family: fields(`Nowak Kowalski Wisniewski Wojcik Kowalczyk Kaminski Lewandowski Zielinski Szymanski
			Wozniak Dabrowski Kozlowski Jankowski Mazur Kwiatkowski Krawczyk Piotrowski Grabowski Nowakowski
			Pawlowski Michalski Nowicki Adamczyk Dudek Zajac Wieczorek Jablonski Krol Majewski Olszewski
			Jaworski Wrobel Malinowski Pawlak Witkowski Walczak Stepien Gorski Rutkowski Michalak`),
		male: eras(`Piotr Krzysztof Andrzej Tomasz Pawel Michal Marcin Jakub Adam Lukasz Grzegorz Mateusz
			Kamil Wojciech Marek Jan Dariusz Rafal Robert Szymon Bartosz Damian Sebastian Filip`),
		female: eras(`Anna Maria Katarzyna Malgorzata Agnieszka Barbara Ewa Magdalena Joanna Aleksandra
			Monika Zofia Natalia Krystyna Elzbieta Dorota Beata Justyna Karolina Paulina Marta Julia Zuzanna`),
	},
	{name: "chinese", weight: 0.03, middleP: 0.1, takeNameP: 0.2,
		family: fields(`Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Lin Guo He Gao Luo
			Chan Wong Cheung Lau Leung Ng Ho Tang Lee Yeung Chow Tsang Kwok Fung Lam Cheng`),
		male: eras(`Wei Jun Hao Ming Jie Lei Yang Tao Xin Yu Kevin Jason Eric Chi Kin Ka Hong Long Bo Jian
			Zhi Peng Kai`),
		female: eras(`Mei Ying Li Xiao Hui Jing Yan Lin Fang Ling Grace Amy Jenny Wing Yee Man Shan Xue Qing
			Yun Lan Na Ting`),
	},
	{name: "greek_cypriot", weight: 0.02, middleP: 0.2, takeNameP: 0.85,
		family: fields(`Georgiou Christodoulou Constantinou Demetriou Ioannou Nicolaou Papadopoulos
			Charalambous Michael Andreou Antoniou Panayiotou Kyriacou Savva Christou Hadjimichael Petrou
			Stylianou Loizou Evangelou Theodorou Pavlou`),
		male: eras(`Andreas Georgios Christos Nikos Costas Panayiotis Michalis Stavros Yiannis Demetris
			Kyriacos Savvas Lefteris Marios Antonis Sotiris`),
		female: eras(`Maria Eleni Anna Katerina Despina Androulla Sofia Georgia Christina Elena Panayiota
			Stella Chrystalla Irene Niki Eleftheria`),
	},
	{name: "caribbean", weight: 0.05, middleP: 0.6, takeNameP: 0.8,
		family: fields(`Campbell Williams Brown Thomas Clarke Francis Robinson Henry Johnson Walker Grant
			Morgan Lewis Bailey Reid Thompson Edwards Gordon Simpson Wright Smith James Richards Samuels
			Powell Stewart Daley Bennett McKenzie Gayle Anderson Forbes Blake Hylton Ellis Lindo Bryan`),
		male: eras(`Delroy Winston Marcus Leroy Andre Tyrone Jermaine Devon Errol Clive Lloyd Trevor Everton
			Carlton Desmond Junior Courtney Kareem Malik Jaden Tyrese Kai Jayden Marcel Nathaniel`),
		female: eras(`Marcia Sharon Beverley Jacqueline Paulette Donna Janice Shanice Tanisha Jade Aaliyah
			Monique Natasha Simone Yvonne Hyacinth Claudette Cherelle Keisha Leah Destiny Amara Tiana`),
	},
	{name: "southern_european", weight: 0.04, middleP: 0.3, takeNameP: 0.3,
		family: fields(`Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Martins Fernandes Gomes Garcia
			Martinez Lopez Gonzalez Rossi Russo Ferrari Esposito Romano Colombo Bianchi Martin Bernard
			Dubois Sousa Carvalho Almeida Ribeiro Sanchez Perez Ricci Marino Greco Bruno Moreau Laurent`),
		male: eras(`Joao Pedro Miguel Carlos Luis Jose Antonio Marco Luca Giuseppe Francesco Pierre Manuel
			Rui Tiago Javier Pablo Alejandro Matteo Lorenzo Alessandro Nicolas Julien Thomas Hugo`),
		female: eras(`Ana Maria Sofia Ines Carla Lucia Giulia Francesca Chiara Camille Marie Isabel Beatriz
			Marta Laura Elena Paula Alessia Valentina Martina Chloe Manon Juliette`),
	},
	{name: "arabic", weight: 0.03, middleP: 0.5, takeNameP: 0.1,
		family: fields(`Ahmed Ali Hassan Hussein Mohamed Ibrahim Saleh Abdullah Mahmoud Said Khalil Mansour
			Nasser Haddad Aziz Farouk El-Sayed Al-Hashimi Hamdan Othman Salem Youssef Darwish Kassem
			Al-Amin Jaber Rahim Zaki`),
		male: eras(`Mohammed Ahmed Omar Khalid Youssef Karim Tariq Samir Hassan Ali Yasin Adam Mahmoud Walid
			Bilal Rami Sami Nabil Faris Hamza Zaid Ibrahim`),
		female: eras(`Fatima Mariam Noor Layla Sara Yasmin Huda Rania Leila Amal Dina Salma Hala Nadia Rana
			Aya Lina Reem Zainab Malak`),
	},
	{name: "eastern_european", weight: 0.03, middleP: 0.15, takeNameP: 0.9,
		family: fields(`Popescu Ionescu Popa Dumitru Stan Stoica Gheorghe Kazlauskas Petrauskas Jankauskas
			Hoxha Krasniqi Berisha Shehu Gashi Kovacs Nagy Horvath Szabo Ivanov Petrov Dimitrov Georgiev
			Novak Horvat Kovac`),
		male: eras(`Andrei Ion Mihai Alexandru Tomas Arben Besnik Florin Gabriel Laszlo Istvan Dmitri Nikolai
			Ivan Mantas Darius Luka Marko Stefan Bogdan`),
		female: eras(`Elena Ioana Andreea Daiva Jurgita Arta Blerta Mihaela Cristina Ramona Eszter Katalin
			Ivana Petra Milena Rasa Egle Vesna`),
	},
}

// originW draws a household's naming tradition.
var originW = func() weighted {
	w := make([]float64, len(origins))
	for i, o := range origins {
		w[i] = o.weight
	}
	return newWeighted(w)
}()

func init() {
	for _, o := range origins {
		o.familyW = zipf(len(o.family), 0.8, 3)
		for e := range 3 {
			o.maleW[e] = zipf(len(o.male[e]), 0.75, 2)
			o.femaleW[e] = zipf(len(o.female[e]), 0.75, 2)
		}
	}
}

// era maps a birth year to the given-name list used for it.
func era(birthYear int) int {
	switch {
	case birthYear < 1965:
		return 0
	case birthYear < 1995:
		return 1
	}
	return 2
}

// givenName draws a given name for sex ('M' or 'F') and birth year.
func (o *origin) givenName(r *rand.Rand, sex byte, birthYear int) string {
	e := era(birthYear)
	if sex == 'M' {
		return o.male[e][o.maleW[e].draw(r)]
	}
	return o.female[e][o.femaleW[e].draw(r)]
}

// middleName draws a middle name different from the given name, or "".
func (o *origin) middleName(r *rand.Rand, sex byte, birthYear int, given string) string {
	if !chance(r, o.middleP) {
		return ""
	}
	for range 4 {
		if m := o.givenName(r, sex, birthYear); m != given {
			return m
		}
	}
	return ""
}

// familyName draws a family name: mostly from the frequency-ordered list,
// sometimes a rare compound, occasionally double-barrelled.
func (o *origin) familyName(r *rand.Rand) string {
	f := o.baseFamily(r)
	if chance(r, o.doubleBarP) {
		g := o.baseFamily(r)
		if g != f {
			return f + "-" + g
		}
	}
	return f
}

func (o *origin) baseFamily(r *rand.Rand) string {
	if len(o.prefixes) > 0 && chance(r, o.compoundP) {
		return pick(r, o.prefixes) + pick(r, o.suffixes)
	}
	return o.family[o.familyW.draw(r)]
}

// forSex adapts a family name to its bearer: Polish -ski/-cki names take the
// feminine -ska/-cka.
func (o *origin) forSex(family string, sex byte) string {
	if !o.gendered || sex != 'F' {
		return family
	}
	if strings.HasSuffix(family, "ski") || strings.HasSuffix(family, "cki") {
		return family[:len(family)-1] + "a"
	}
	return family
}

// masculine undoes forSex, to give a son his mother's family name.
func (o *origin) masculine(family string) string {
	if o.gendered && (strings.HasSuffix(family, "ska") || strings.HasSuffix(family, "cka")) {
		return family[:len(family)-1] + "i"
	}
	return family
}

// nicknames maps a formal given name to the familiar forms people give a
// council when they ring up or join a library. Our own list.
var nicknames = map[string][]string{
	"Robert": {"Bob", "Rob", "Bobby"}, "William": {"Bill", "Will", "Billy"}, "Margaret": {"Peggy", "Maggie", "Meg"},
	"Catherine": {"Kate", "Cathy"}, "Katherine": {"Kate", "Kathy", "Katie"}, "Elizabeth": {"Liz", "Beth", "Betty", "Lizzie"},
	"James": {"Jim", "Jimmy", "Jamie"}, "Richard": {"Rich", "Dick", "Richie"}, "Edward": {"Ted", "Ed", "Eddie"},
	"Thomas": {"Tom", "Tommy"}, "Michael": {"Mike", "Mick", "Mickey"}, "Anthony": {"Tony"}, "Christopher": {"Chris"},
	"Jennifer": {"Jenny", "Jen"}, "Patricia": {"Pat", "Trish"}, "Susan": {"Sue", "Susie"}, "Deborah": {"Debbie", "Deb"},
	"Rebecca": {"Becky", "Becca"}, "Alexander": {"Alex", "Sandy"}, "Andrew": {"Andy", "Drew"}, "Daniel": {"Dan", "Danny"},
	"David": {"Dave", "Davy"}, "Joseph": {"Joe", "Joey"}, "Jonathan": {"Jon", "Jonny"}, "Matthew": {"Matt"},
	"Nicholas": {"Nick", "Nicky"}, "Peter": {"Pete"}, "Samuel": {"Sam", "Sammy"}, "Stephen": {"Steve"},
	"Timothy": {"Tim"}, "Benjamin": {"Ben", "Benji"}, "Charles": {"Charlie", "Chas"}, "Henry": {"Harry", "Hal"},
	"John": {"Jack", "Johnny"}, "Kenneth": {"Ken", "Kenny"}, "Philip": {"Phil"}, "Frederick": {"Fred", "Freddie"},
	"Victoria": {"Vicky", "Tori"}, "Jacqueline": {"Jackie"}, "Kathleen": {"Kath", "Kathy"}, "Dorothy": {"Dot", "Dottie"},
	"Mary": {"Molly", "Polly"}, "Sarah": {"Sally"}, "Ann": {"Annie"}, "Anne": {"Annie"}, "Abigail": {"Abby", "Abi"},
	"Eleanor": {"Ellie", "Nell"}, "Isabella": {"Bella", "Izzy"}, "Joanne": {"Jo"}, "Olivia": {"Liv", "Livvy"},
	"Charlotte": {"Lottie", "Charlie"}, "Jessica": {"Jess"}, "Megan": {"Meg"}, "Emily": {"Em", "Emmy"},
	"Terence": {"Terry"}, "Raymond": {"Ray"}, "Gerald": {"Gerry"}, "Barbara": {"Babs", "Barbie"},
	"Christine": {"Chris", "Chrissie"}, "Nicola": {"Nicky", "Nikki"}, "Louise": {"Lou"}, "Alan": {"Al"},
	"Patrick": {"Paddy", "Pat"}, "Bridget": {"Bridie", "Biddy"}, "Samantha": {"Sam", "Sammie"},
	"Stephanie": {"Steph"}, "Natalie": {"Nat"}, "Gillian": {"Gill", "Jill"}, "Valerie": {"Val"},
	"Leslie": {"Les"}, "Ronald": {"Ron", "Ronnie"}, "Stanley": {"Stan"}, "Geoffrey": {"Geoff"}, "Gordon": {"Gordy"},
	"Harold": {"Harry"}, "Arthur": {"Art", "Artie"}, "Oliver": {"Ollie"}, "Joshua": {"Josh"}, "Jacob": {"Jake"},
	"Isaac": {"Ike"}, "Sebastian": {"Seb"}, "Theodore": {"Theo"}, "Florence": {"Flo", "Florrie"},
	"Harriet": {"Hattie"}, "Matilda": {"Tilly"}, "Imogen": {"Immy"}, "Phoebe": {"Phoebs"}, "Georgia": {"George"},
	"Lauren": {"Laurie"}, "Amelia": {"Millie", "Amy"}, "Sophia": {"Sophie"}, "Caroline": {"Caz", "Carrie"},
	"Jacquelyn": {"Jackie"}, "Judith": {"Judy"}, "Frances": {"Fran", "Frankie"}, "Rosemary": {"Rosie"},
	"Mohammed": {"Mo"}, "Muhammad": {"Mo"}, "Mohammad": {"Mo"}, "Mohamed": {"Mo"}, "Abdullahi": {"Abdi"},
	"Abdirahman": {"Abdi"}, "Oluwaseun": {"Seun"}, "Oluwatobi": {"Tobi"}, "Babatunde": {"Tunde"},
	"Olumide": {"Mide"}, "Oluwatoyin": {"Toyin"}, "Funmilayo": {"Funmi"}, "Temitope": {"Tope"},
	"Chukwuemeka": {"Emeka"}, "Oluwakemi": {"Kemi"}, "Ikechukwu": {"Ike"}, "Adebola": {"Bola"},
	"Katarzyna": {"Kasia"}, "Malgorzata": {"Gosia"}, "Wojciech": {"Wojtek"}, "Aleksandra": {"Ola"},
	"Krzysztof": {"Krzys"}, "Mateusz": {"Mati"}, "Panayiotis": {"Panos"}, "Georgios": {"George"},
	"Kyriacos": {"Kyri"}, "Giuseppe": {"Beppe"}, "Francesco": {"Franco"}, "Antonio": {"Toni"}, "Alessandro": {"Sandro"},
	"Abdirizak": {"Rizak"}, "Mustafa": {"Musti"}, "Huseyin": {"Huso"}, "Alexandru": {"Alex"}, "Mihaela": {"Miha"},
	"Jaswinder": {"Jas"}, "Sukhwinder": {"Sukhi"}, "Parminder": {"Pam"}, "Gurpreet": {"Gurp"},
	"Harpreet": {"Harry"}, "Rajesh": {"Raj"}, "Vikram": {"Vik"}, "Nathaniel": {"Nate"}, "Christos": {"Chris"},
	"Kristopher": {"Kris"}, "Callum": {"Cal"}, "Reuben": {"Reub"}, "Alexandra": {"Alex", "Sasha"},
}

// Twins often get names that sound alike; these pairs keep twin hard
// negatives close in spelling as well as in everything else.
var similarTwinNames = map[byte][][2]string{
	'M': {{"Hassan", "Hussain"}, {"Jack", "Jake"}, {"Amir", "Amin"}, {"Kayden", "Jayden"}, {"Adam", "Aidan"},
		{"Ryan", "Rhys"}, {"Abdi", "Abdul"}, {"Tariq", "Tarik"}, {"Kwame", "Kwesi"}, {"Olek", "Oskar"}},
	'F': {{"Emma", "Ella"}, {"Lily", "Lila"}, {"Hana", "Hina"}, {"Maya", "Mia"}, {"Zara", "Zahra"},
		{"Sophie", "Sophia"}, {"Amina", "Aminah"}, {"Chloe", "Zoe"}, {"Ayan", "Ayaan"}, {"Kemi", "Kike"}},
}
